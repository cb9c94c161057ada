/**
 * `access_log_signed_heads` (migration 009): the gateway's signed statements "this person's access
 * log reached (seq, hash)". Which chains advanced since their last signed head is read from
 * `access_log_heads`, so signing needs no bookkeeping of its own, and two instances signing the same
 * tip at once store it once.
 */
import type { ChainTip } from "../domain/access-record.js";
import type { Database } from "./database.js";

/** A signed head as stored. */
export interface SignedAccessLogHead extends ChainTip {
  userId: string;
  signedAt: Date;
  /** Compact JWS (typ bankgraph-access-log-head+jws) over { userId, seq, hash, signedAt }. */
  jws: string;
}

/** A chain tip not yet signed. */
export interface UnsignedAccessLogHead extends ChainTip {
  userId: string;
}

interface SignedRow {
  user_id: string;
  seq: number | bigint;
  hash: string;
  signed_at: Date;
  jws: string;
}

const ADVANCED = `SELECT head.user_id, head.seq, head.hash FROM access_log_heads AS head
  WHERE head.seq > COALESCE((SELECT max(signed.seq) FROM access_log_signed_heads AS signed WHERE signed.user_id = head.user_id), 0)`;

export class AccessLogSignedHeadRepository {
  constructor(private readonly db: Database) {}

  /** Up to `limit` chains whose tip is past their newest signed head (or that were never signed). */
  async advanced(limit: number): Promise<UnsignedAccessLogHead[]> {
    const rows = await this.db.query<{ user_id: string; seq: number | bigint; hash: string }>(`${ADVANCED} ORDER BY head.user_id LIMIT $1`, [limit]);
    return rows.map((r) => ({ userId: r.user_id, seq: Number(r.seq), hash: r.hash }));
  }

  /** The person's tip when it is past their newest signed head; null when that head is current. */
  async advancedFor(userId: string): Promise<UnsignedAccessLogHead | null> {
    const [row] = await this.db.query<{ user_id: string; seq: number | bigint; hash: string }>(`${ADVANCED} AND head.user_id = $1`, [userId]);
    return row ? { userId: row.user_id, seq: Number(row.seq), hash: row.hash } : null;
  }

  /** Stores a signed head; a head already signed (by another instance meanwhile) is kept as it is. */
  async save(head: SignedAccessLogHead): Promise<void> {
    await this.db.query(
      `INSERT INTO access_log_signed_heads (user_id, seq, hash, signed_at, jws) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id, seq) DO NOTHING`,
      [head.userId, head.seq, head.hash, head.signedAt, head.jws],
    );
  }

  /** The person's newest signed head, or null if none was signed yet. */
  async latest(userId: string): Promise<SignedAccessLogHead | null> {
    const [row] = await this.db.query<SignedRow>(
      "SELECT user_id, seq, hash, signed_at, jws FROM access_log_signed_heads WHERE user_id = $1 ORDER BY seq DESC LIMIT 1",
      [userId],
    );
    return row ? { userId: row.user_id, seq: Number(row.seq), hash: row.hash, signedAt: row.signed_at, jws: row.jws } : null;
  }
}
