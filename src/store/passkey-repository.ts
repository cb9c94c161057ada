/**
 * Rows of `passkeys` (migration 017): the person's WebAuthn credentials. Every read and change is
 * scoped to the person: another person's credential id finds nothing.
 */
import type { Queryable } from "./database.js";

/** One passkey as stored (credential id and public key base64url, as the authenticator gave them). */
export interface StoredPasskey {
  credentialId: string;
  userId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  label: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

interface Row {
  credential_id: string;
  user_id: string;
  public_key: string;
  counter: string | number;
  transports: string[];
  label: string;
  created_at: Date;
  last_used_at: Date | null;
}

const toPasskey = (row: Row): StoredPasskey => ({
  credentialId: row.credential_id,
  userId: row.user_id,
  publicKey: row.public_key,
  counter: Number(row.counter),
  transports: row.transports,
  label: row.label,
  createdAt: new Date(row.created_at),
  lastUsedAt: row.last_used_at ? new Date(row.last_used_at) : null,
});

const COLUMNS = "credential_id, user_id, public_key, counter, transports, label, created_at, last_used_at";

export class PasskeyRepository {
  constructor(private readonly db: Queryable) {}

  /** Stores a new passkey; false when the credential id is already stored (for anyone). */
  async add(passkey: StoredPasskey): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO passkeys (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (credential_id) DO NOTHING RETURNING credential_id`,
      [passkey.credentialId, passkey.userId, passkey.publicKey, passkey.counter, passkey.transports, passkey.label, passkey.createdAt, passkey.lastUsedAt],
    );
    return rows.length === 1;
  }

  /** The person's passkeys, oldest first. */
  async forPerson(userId: string): Promise<StoredPasskey[]> {
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM passkeys WHERE user_id = $1 ORDER BY created_at, credential_id`, [userId]);
    return rows.map(toPasskey);
  }

  /** One of the person's passkeys, or null. */
  async find(userId: string, credentialId: string): Promise<StoredPasskey | null> {
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM passkeys WHERE user_id = $1 AND credential_id = $2`, [userId, credentialId]);
    return rows[0] ? toPasskey(rows[0]) : null;
  }

  /**
   * After a verified use: the authenticator's new signature counter, only if the stored one is
   * still `seen` (false: another use got there first). Authenticators without a counter stay at 0.
   */
  async used(userId: string, credentialId: string, seen: number, counter: number, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      "UPDATE passkeys SET counter = $4, last_used_at = $5 WHERE user_id = $1 AND credential_id = $2 AND counter = $3 RETURNING credential_id",
      [userId, credentialId, seen, counter, at],
    );
    return rows.length === 1;
  }

  /** Removes one of the person's passkeys; false when there was none. */
  async remove(userId: string, credentialId: string): Promise<boolean> {
    const rows = await this.db.query("DELETE FROM passkeys WHERE user_id = $1 AND credential_id = $2 RETURNING credential_id", [userId, credentialId]);
    return rows.length === 1;
  }
}
