/**
 * The registered apps: register (the webhook key encrypted at rest with TokenCipher), list (the
 * key only as a fingerprint), remove, and the check every request makes that its token's client is
 * registered. One place for all of it, used by the CLI, the CLIENTS_FILE applied at start, the
 * request pipeline and the connect flow.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { ErrorCode, GatewayError } from "../errors.js";
import type { Client, ClientRepository } from "../store/client-repository.js";
import type { TokenCipher } from "../store/token-cipher.js";
import { clientsFileSchema, describeIssues, parseAppRegistration, type AppRegistration } from "./app-registration.js";

/** An app as listed: everything but the webhook key, which shows only as a fingerprint. */
export interface AppListing {
  id: string;
  displayName: string;
  legalName: string | null;
  allowedPurposes: string[];
  allowedScopes: string[];
  redirectUris: string[];
  webhookUrl: string | null;
  /** `sha256:` + the first 12 hex digits of the key's SHA-256; null without a key. Never the key. */
  webhookKeyFingerprint: string | null;
}

/** Options for {@link AppRegistry}. */
export interface AppRegistryOptions {
  clients: ClientRepository;
  cipher: TokenCipher;
  /** How long a "registered" answer is reused by this instance (ms). Default 5000; a removal takes effect within it. */
  cacheMs?: number;
  now?: () => number;
}

/** The fix a refused token's error names. */
export const REGISTER_HINT = "register it with `npx bankgraph client add` or the CLIENTS_FILE (docs/apps.md)";

/** Registered apps. */
export class AppRegistry {
  private readonly clients: ClientRepository;
  private readonly cipher: TokenCipher;
  private readonly cacheMs: number;
  private readonly now: () => number;
  private readonly known = new Map<string, number>();

  constructor({ clients, cipher, cacheMs = 5000, now = Date.now }: AppRegistryOptions) {
    this.clients = clients;
    this.cipher = cipher;
    this.cacheMs = cacheMs;
    this.now = now;
  }

  /** Validates (BAD_USER_INPUT naming every bad field) and registers or replaces an app. */
  async register(input: unknown): Promise<AppListing> {
    const app = parseAppRegistration(input);
    const client = await this.clients.register({
      id: app.id,
      name: app.displayName,
      legalName: app.legalName,
      allowedPurposes: app.allowedPurposes,
      allowedScopes: app.allowedScopes,
      redirectUris: app.redirectUris,
      webhookUrl: app.webhookUrl ?? null,
      webhookKeyCiphertext: app.webhookKey ? this.cipher.encrypt(app.webhookKey) : null,
    });
    this.known.delete(app.id);
    return this.listing(client);
  }

  /** Every registered app (not removed), by id. */
  async list(): Promise<AppListing[]> {
    return (await this.clients.list()).map((c) => this.listing(c));
  }

  /** Removes an app: its tokens are refused from then on (on other instances within `cacheMs`). False if there was none. */
  async remove(id: string): Promise<boolean> {
    this.known.delete(id);
    return this.clients.remove(id);
  }

  /** The registered app, or null (never registered, or removed). */
  find(id: string): Promise<Client | null> {
    return this.clients.findActive(id);
  }

  /** The app's webhook key in clear, for signing its webhooks; null without one. */
  async webhookKey(id: string): Promise<string | null> {
    const client = await this.clients.findActive(id);
    return client?.webhookKeyCiphertext ? this.cipher.decrypt(client.webhookKeyCiphertext) : null;
  }

  /** Throws UNAUTHENTICATED naming the fix when the token's client is not a registered app. */
  async requireRegistered(clientId: string): Promise<void> {
    const until = this.known.get(clientId);
    if (until !== undefined && until > this.now()) return;
    if (!(await this.clients.findActive(clientId))) {
      this.known.delete(clientId);
      throw new GatewayError(ErrorCode.UNAUTHENTICATED, `The token's client "${clientId}" is not a registered app: ${REGISTER_HINT}`, {
        reason: "CLIENT_NOT_REGISTERED",
      });
    }
    this.known.set(clientId, this.now() + this.cacheMs);
  }

  /** Registers every app of a CLIENTS_FILE (JSON); throws naming the file and every bad field. Returns the ids. */
  async applyFile(path: string): Promise<string[]> {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, "utf8"));
    } catch (error) {
      throw new Error(`CLIENTS_FILE ${path} is not readable JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const parsed = clientsFileSchema.safeParse(json);
    if (!parsed.success) throw new Error(`CLIENTS_FILE ${path} is invalid: ${describeIssues(parsed.error)}`);
    for (const app of parsed.data.clients) await this.register(app satisfies AppRegistration);
    return parsed.data.clients.map((c) => c.id);
  }

  private listing(client: Client): AppListing {
    const key = client.webhookKeyCiphertext ? this.cipher.decrypt(client.webhookKeyCiphertext) : null;
    return {
      id: client.id,
      displayName: client.name,
      legalName: client.legalName,
      allowedPurposes: client.allowedPurposes,
      allowedScopes: client.allowedScopes,
      redirectUris: client.redirectUris,
      webhookUrl: client.webhookUrl,
      webhookKeyFingerprint: key ? `sha256:${createHash("sha256").update(key).digest("hex").slice(0, 12)}` : null,
    };
  }
}
