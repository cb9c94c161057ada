/**
 * Registered clients (apps acting for users) and the purposes each may ask consent for.
 */
import { systemClock, type Clock } from "../clock.js";
import type { ConsentPurpose } from "../domain/consent.js";
import type { Queryable } from "./database.js";

/** A registered client. */
export interface Client {
  id: string;
  name: string;
  allowedPurposes: ConsentPurpose[];
  createdAt: Date;
}

interface ClientRow {
  id: string;
  name: string;
  allowed_purposes: string[];
  created_at: Date;
}

const toClient = (row: ClientRow): Client => ({
  id: row.id,
  name: row.name,
  allowedPurposes: row.allowed_purposes as ConsentPurpose[],
  createdAt: row.created_at,
});

/** Reads and registers clients. Pass a transaction as `db` to take part in it. */
export class ClientRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Registers a client, or updates its name and purposes if it exists (seeding is idempotent). */
  async register(client: { id: string; name: string; allowedPurposes: readonly ConsentPurpose[] }): Promise<Client> {
    const rows = await this.db.query<ClientRow>(
      `INSERT INTO clients (id, name, allowed_purposes, created_at) VALUES ($1, $2, $3::text[], $4)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, allowed_purposes = EXCLUDED.allowed_purposes
       RETURNING *`,
      [client.id, client.name, [...client.allowedPurposes], this.clock.now()],
    );
    return toClient(rows[0]!);
  }

  /** The client, or null if it is not registered. */
  async findById(id: string): Promise<Client | null> {
    const rows = await this.db.query<ClientRow>("SELECT * FROM clients WHERE id = $1", [id]);
    return rows[0] ? toClient(rows[0]) : null;
  }

  /** Every registered client, by id. */
  async list(): Promise<Client[]> {
    const rows = await this.db.query<ClientRow>("SELECT * FROM clients ORDER BY id");
    return rows.map(toClient);
  }
}
