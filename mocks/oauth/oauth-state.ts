/**
 * A bank's authorization-server state: oidc-provider's models (grants, codes, tokens, sessions,
 * interactions, PAR requests) and the bank's own consent records, in one map. With a file it is
 * written through on every change (a whole-file rewrite via rename; the state is a few hundred
 * records at most), so the grants of `npm start` survive a restart of the in-process mocks while
 * the gateway's store keeps the tokens it was given. Without a file it lives in memory only.
 *
 * Why not oidc-provider's MemoryAdapter: its storage is one LRU per process shared by every
 * Provider (six banks in one process) and capped at 1000 entries.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Adapter, AdapterPayload } from "oidc-provider";

/** Models of the bank's own (not oidc-provider's) records start with this, e.g. `BankConsent`. */
export const BANK_MODEL_PREFIX = "Bank";

interface Entry {
  payload: AdapterPayload;
  /** Epoch ms; absent = no expiry. */
  expiresAt?: number;
}

export class OAuthState {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly file?: string) {
    if (!file) return;
    try {
      const saved = JSON.parse(readFileSync(file, "utf8")) as Record<string, Entry>;
      for (const [key, entry] of Object.entries(saved)) this.entries.set(key, entry);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }

  get(model: string, id: string): AdapterPayload | undefined {
    const entry = this.entries.get(`${model}:${id}`);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.entries.delete(`${model}:${id}`);
      return undefined;
    }
    return entry.payload;
  }

  set(model: string, id: string, payload: AdapterPayload, expiresInSeconds?: number): void {
    this.entries.set(`${model}:${id}`, { payload, ...(expiresInSeconds ? { expiresAt: Date.now() + expiresInSeconds * 1000 } : {}) });
    this.save();
  }

  markConsumed(model: string, id: string): void {
    const entry = this.entries.get(`${model}:${id}`);
    if (!entry) return;
    entry.payload = { ...entry.payload, consumed: Math.floor(Date.now() / 1000) };
    this.save();
  }

  delete(model: string, id: string): void {
    if (this.entries.delete(`${model}:${id}`)) this.save();
  }

  /** Live payloads of one model (expired ones are skipped). */
  all(model: string): AdapterPayload[] {
    const prefix = `${model}:`;
    const now = Date.now();
    return [...this.entries]
      .filter(([key, entry]) => key.startsWith(prefix) && (entry.expiresAt === undefined || entry.expiresAt > now))
      .map(([, entry]) => entry.payload);
  }

  /** Removes every token, code and grant record of a grant (RFC 7009 revocation, reuse detection, a bank-side revoke). */
  revokeGrant(grantId: string): void {
    let changed = false;
    for (const [key, entry] of this.entries) {
      const oidcModel = !key.startsWith(`${BANK_MODEL_PREFIX}`);
      if ((oidcModel && entry.payload.grantId === grantId) || key === `Grant:${grantId}`) {
        this.entries.delete(key);
        changed = true;
      }
    }
    if (changed) this.save();
  }

  /** Removes every record of one model (e.g. every access token: the bank makes them all expire now). */
  deleteAll(model: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(`${model}:`)) this.entries.delete(key);
    this.save();
  }

  /** An oidc-provider adapter for one model over this state (`Client` is answered by `clients`). */
  adapterFor(model: string, clients: (id: string) => AdapterPayload | undefined): Adapter {
    return {
      upsert: async (id, payload, expiresIn) => this.set(model, id, payload, expiresIn),
      find: async (id) => (model === "Client" ? clients(id) : this.get(model, id)),
      findByUserCode: async (userCode) => this.all(model).find((p) => p.userCode === userCode),
      findByUid: async (uid) => this.all(model).find((p) => p.uid === uid),
      consume: async (id) => this.markConsumed(model, id),
      destroy: async (id) => this.delete(model, id),
      revokeByGrantId: async (grantId) => this.revokeGrant(grantId),
    };
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(Object.fromEntries(this.entries)));
    renameSync(temporary, this.file);
  }
}
