/**
 * Registered clients (apps acting for users): who they are (display and legal name, shown to the
 * person), what they may ask for (purposes, scopes), where a person may be sent back to (exact
 * redirect URIs) and where their webhooks go. Validation and the webhook key's encryption are the
 * app registry's (`src/apps/app-registry.ts`); this file only reads and writes rows.
 */
import { systemClock, type Clock } from "../clock.js";
import type { ConsentPurpose, Scope } from "../domain/consent.js";
import type { Queryable } from "./database.js";

/** A registered client. */
export interface Client {
  id: string;
  /** The name the person sees ("Messenger"). */
  name: string;
  /** The company behind the app ("Messenger Inc."); null for rows registered before it was asked. */
  legalName: string | null;
  allowedPurposes: ConsentPurpose[];
  allowedScopes: Scope[];
  /** Exact redirect URIs; a connect session's must equal one of them. */
  redirectUris: string[];
  webhookUrl: string | null;
  /** TokenCipher ciphertext of the webhook signing key; never leaves the gateway in clear. */
  webhookKeyCiphertext: string | null;
  createdAt: Date;
  /** Set by `client remove`: the row stays (consents point at it), its tokens are refused. */
  removedAt: Date | null;
}

/** What {@link ClientRepository.register} writes; the optional fields default to empty. */
export interface ClientRow {
  id: string;
  name: string;
  legalName?: string | null;
  allowedPurposes: readonly ConsentPurpose[];
  allowedScopes?: readonly Scope[];
  redirectUris?: readonly string[];
  webhookUrl?: string | null;
  webhookKeyCiphertext?: string | null;
}

interface Row {
  id: string;
  name: string;
  legal_name: string | null;
  allowed_purposes: string[];
  allowed_scopes: string[];
  redirect_uris: string[];
  webhook_url: string | null;
  webhook_key_ciphertext: string | null;
  created_at: Date;
  removed_at: Date | null;
}

const toClient = (row: Row): Client => ({
  id: row.id,
  name: row.name,
  legalName: row.legal_name,
  allowedPurposes: row.allowed_purposes as ConsentPurpose[],
  allowedScopes: row.allowed_scopes as Scope[],
  redirectUris: row.redirect_uris,
  webhookUrl: row.webhook_url,
  webhookKeyCiphertext: row.webhook_key_ciphertext,
  createdAt: row.created_at,
  removedAt: row.removed_at,
});

/** Reads and registers clients. Pass a transaction as `db` to take part in it. */
export class ClientRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Registers a client, or replaces its registration if it exists (seeding and config files are
   * idempotent); registering a removed client brings it back.
   */
  async register(client: ClientRow): Promise<Client> {
    const rows = await this.db.query<Row>(
      `INSERT INTO clients (id, name, legal_name, allowed_purposes, allowed_scopes, redirect_uris, webhook_url, webhook_key_ciphertext, created_at)
       VALUES ($1, $2, $3, $4::text[], $5::text[], $6::text[], $7, $8, $9)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, legal_name = EXCLUDED.legal_name, allowed_purposes = EXCLUDED.allowed_purposes,
         allowed_scopes = EXCLUDED.allowed_scopes, redirect_uris = EXCLUDED.redirect_uris, webhook_url = EXCLUDED.webhook_url,
         webhook_key_ciphertext = EXCLUDED.webhook_key_ciphertext, removed_at = NULL
       RETURNING *`,
      [
        client.id,
        client.name,
        client.legalName ?? null,
        [...client.allowedPurposes],
        [...(client.allowedScopes ?? [])],
        [...(client.redirectUris ?? [])],
        client.webhookUrl ?? null,
        client.webhookKeyCiphertext ?? null,
        this.clock.now(),
      ],
    );
    return toClient(rows[0]!);
  }

  /** The client (removed or not), or null if it was never registered. */
  async findById(id: string): Promise<Client | null> {
    const rows = await this.db.query<Row>("SELECT * FROM clients WHERE id = $1", [id]);
    return rows[0] ? toClient(rows[0]) : null;
  }

  /** The client if it is registered and not removed, else null. */
  async findActive(id: string): Promise<Client | null> {
    const rows = await this.db.query<Row>("SELECT * FROM clients WHERE id = $1 AND removed_at IS NULL", [id]);
    return rows[0] ? toClient(rows[0]) : null;
  }

  /** Every client that is not removed, by id. */
  async list(): Promise<Client[]> {
    const rows = await this.db.query<Row>("SELECT * FROM clients WHERE removed_at IS NULL ORDER BY id");
    return rows.map(toClient);
  }

  /** Marks the client removed; false when there is no such (active) client. */
  async remove(id: string): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>("UPDATE clients SET removed_at = $2 WHERE id = $1 AND removed_at IS NULL RETURNING id", [
      id,
      this.clock.now(),
    ]);
    return rows.length > 0;
  }
}
