/**
 * The clients registered with one bank, as at the bank's developer portal: id, secret, exact
 * redirect URIs and the name the consent page shows. Bankgraph's dev registration is
 * `devClientFor(bankId)`; the gateway copies the same values into its own config defaults (the
 * mocks and the gateway share no code), so `npm start` and `npm run mocks` work with no config.
 */
import { timingSafeEqual } from "node:crypto";
import type { AdapterPayload } from "oidc-provider";

export interface ClientRegistration {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs (compared as strings by the bank). */
  redirectUris: string[];
  /** Shown on the bank's consent page ("… wants to see"). */
  name: string;
  /**
   * Where the bank pushes Security Event Tokens about this client's grants (RFC 8935), e.g. that the
   * person removed its access on the bank's connected-apps page. Optional, as at a real portal.
   */
  notificationUri?: string;
}

/** Bankgraph's dev client id at every mock bank. */
export const DEV_CLIENT_ID = "bankgraph";

/** Bankgraph's dev client secret at one mock bank (like `defaultMockWebhookSecret`). */
export function devClientSecret(bankId: string): string {
  return `bankgraph-dev-client-secret:${bankId}`;
}

/** Bankgraph's dev registration at one bank; its redirect URI is the gateway's callback on its dev port. */
export function devClientFor(bankId: string, gatewayOrigin = "http://127.0.0.1:4000"): ClientRegistration {
  return {
    clientId: DEV_CLIENT_ID,
    clientSecret: devClientSecret(bankId),
    redirectUris: [`${gatewayOrigin}/connect/callback/${bankId}`],
    name: "Bankgraph",
  };
}

export class RegisteredClients {
  private readonly clients = new Map<string, ClientRegistration>();

  constructor(private readonly metadataFor: (client: ClientRegistration) => AdapterPayload) {}

  /**
   * Registers a client, or adds redirect URIs to one registered before (its secret must match; the
   * name shown on the consent page and the notification endpoint are the latest given).
   */
  register(client: ClientRegistration): void {
    if (!client.clientId || client.clientSecret.length < 16 || client.redirectUris.length === 0) {
      throw new Error("A client needs an id, a secret of at least 16 characters and at least one redirect URI");
    }
    for (const uri of [...client.redirectUris, ...(client.notificationUri ? [client.notificationUri] : [])]) new URL(uri);
    const known = this.clients.get(client.clientId);
    if (known && known.clientSecret !== client.clientSecret) {
      throw new Error(`Client ${client.clientId} is registered with another secret: only its owner can add redirect URIs`);
    }
    // As at a bank's developer portal, a client keeps every redirect URI it registered (each still matched exactly).
    const redirectUris = [...new Set([...(known?.redirectUris ?? []), ...client.redirectUris])];
    const notificationUri = client.notificationUri ?? known?.notificationUri;
    this.clients.set(client.clientId, { ...client, redirectUris, ...(notificationUri ? { notificationUri } : {}) });
  }

  /** oidc-provider client metadata for a registered client id. */
  metadata(clientId: string): AdapterPayload | undefined {
    const client = this.clients.get(clientId);
    return client ? this.metadataFor(client) : undefined;
  }

  /** Origins the client's redirect URIs point at (a page's CSP lets its forms' redirects reach them). */
  redirectOrigins(clientId: string): string[] {
    return [...new Set((this.clients.get(clientId)?.redirectUris ?? []).map((uri) => new URL(uri).origin))];
  }

  /** The client's registered push endpoint for security events, if it registered one. */
  notificationUri(clientId: string): string | undefined {
    return this.clients.get(clientId)?.notificationUri;
  }

  name(clientId: string): string | undefined {
    return this.clients.get(clientId)?.name;
  }

  /** The client an `Authorization: Basic` header (client_secret_basic, RFC 6749 §2.3.1 form-encoding) authenticates, or undefined. */
  authenticate(header: string | undefined): string | undefined {
    const encoded = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? "")?.[1];
    if (!encoded) return undefined;
    const decoded = Buffer.from(encoded, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return undefined;
    let id: string;
    let secret: string;
    try {
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " "));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " "));
    } catch {
      return undefined;
    }
    const client = this.clients.get(id);
    if (!client) return undefined;
    const given = Buffer.from(secret);
    const expected = Buffer.from(client.clientSecret);
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
  }
}
