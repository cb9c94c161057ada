/**
 * Bankgraph as an OAuth 2 client of each bank (oauth4webapi): the bank's authorization-server
 * metadata (discovered once at the bank's issuer, its base URL, and kept), Bankgraph's client id and
 * secret there (client_secret_basic) and the options every request to the bank carries (a timeout;
 * plain http only where allowed, for the mock banks).
 */
import * as oauth from "oauth4webapi";
import type { BankOAuthConfig } from "../../config.js";
import { ProviderError } from "../../providers/provider-error.js";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Bankgraph's registration at one bank. */
export interface BankClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** The mock banks' dev client of Bankgraph (public by design; refused in production). The mocks register the same. */
export function devBankClient(institutionId: string): BankClientCredentials {
  return { clientId: "bankgraph", clientSecret: `bankgraph-dev-client-secret:${institutionId}` };
}

/** Bankgraph's client at one bank, with the bank's metadata. */
export interface BankOAuthClient {
  institutionId: string;
  institutionName: string;
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  auth: oauth.ClientAuth;
  /** Fresh options for one request (its own timeout). */
  options(): { signal: AbortSignal; [oauth.allowInsecureRequests]?: boolean };
}

export interface BankOAuthClientsOptions {
  config: BankOAuthConfig;
  /** Institution ID → the bank's issuer (its base URL). */
  issuers: Record<string, string>;
  names: (institutionId: string) => string;
  timeoutMs: number;
}

/** The clients by bank; metadata discovered on first use and kept (a failed discovery is tried again next time). */
export class BankOAuthClients {
  private readonly discovered = new Map<string, Promise<BankOAuthClient>>();

  constructor(private readonly options: BankOAuthClientsOptions) {}

  /** Bankgraph's credentials at the bank, or undefined when none is configured (production without BANK_OAUTH_CLIENTS). */
  credentials(institutionId: string): BankClientCredentials | undefined {
    const { clients, devClients } = this.options.config;
    if (Object.hasOwn(clients, institutionId)) return clients[institutionId];
    return devClients ? devBankClient(institutionId) : undefined;
  }

  /** The client at this bank; throws ProviderError when the bank has no issuer or no credentials, or its discovery fails. */
  for(institutionId: string): Promise<BankOAuthClient> {
    let found = this.discovered.get(institutionId);
    if (!found) {
      found = this.discover(institutionId);
      this.discovered.set(institutionId, found);
      found.catch(() => this.discovered.delete(institutionId));
    }
    return found;
  }

  private async discover(institutionId: string): Promise<BankOAuthClient> {
    const name = this.options.names(institutionId);
    const issuer = this.options.issuers[institutionId];
    const credentials = this.credentials(institutionId);
    if (!issuer || !credentials) throw new ProviderError("UPSTREAM_ERROR", institutionId, name, "no OAuth client configured for this bank");
    const issuerUrl = new URL(issuer);
    // Plain http only outside production, or to a bank on this machine (loopback: nothing on the wire).
    const insecure = this.options.config.allowHttp || LOOPBACK.has(issuerUrl.hostname);
    const options = () => ({
      signal: AbortSignal.timeout(this.options.timeoutMs),
      ...(insecure ? { [oauth.allowInsecureRequests]: true } : {}),
    });
    const as = await callBank(institutionId, name, "discovery", async () =>
      oauth.processDiscoveryResponse(issuerUrl, await oauth.discoveryRequest(issuerUrl, options())),
    );
    return {
      institutionId,
      institutionName: name,
      as,
      client: { client_id: credentials.clientId },
      auth: oauth.ClientSecretBasic(credentials.clientSecret),
      options,
    };
  }
}

/**
 * Runs one exchange with a bank's authorization server: a transport failure or timeout becomes the
 * ProviderError every bank call uses (DOWN, TIMEOUT); OAuth errors pass through for the caller to
 * judge (oauth4webapi's ResponseBodyError, AuthorizationResponseError, OperationProcessingError).
 * Nothing of the exchange (tokens, codes, secrets) is put in the error.
 */
export async function callBank<T>(institutionId: string, name: string, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    // A 5xx is the bank being unwell, whatever its body says; other OAuth errors are the caller's to judge.
    if (error instanceof oauth.ResponseBodyError && error.status >= 500) throw new ProviderError("DOWN", institutionId, name, `${what}: ${error.status}`);
    if (error instanceof oauth.ResponseBodyError || error instanceof oauth.AuthorizationResponseError) throw error;
    if (error instanceof oauth.OperationProcessingError || error instanceof oauth.UnsupportedOperationError) {
      if ((error as { cause?: unknown }).cause instanceof Response && ((error as { cause: Response }).cause.status ?? 0) >= 500) {
        throw new ProviderError("DOWN", institutionId, name, `${what}: ${(error as { cause: Response }).cause.status}`);
      }
      throw error;
    }
    const name_ = (error as Error)?.name;
    if (name_ === "TimeoutError" || name_ === "AbortError") throw new ProviderError("TIMEOUT", institutionId, name, `${what} timed out`);
    throw new ProviderError("DOWN", institutionId, name, `${what}: ${(error as { cause?: { code?: string } })?.cause?.code ?? name_ ?? "failed"}`);
  }
}

/** Bankgraph's own client_credentials access token at the bank (UK consent creation and revocation). */
export async function clientCredentialsToken(client: BankOAuthClient, scope: string): Promise<string> {
  const tokens = await callBank(client.institutionId, client.institutionName, "client credentials", async () =>
    oauth.processClientCredentialsResponse(
      client.as,
      client.client,
      await oauth.clientCredentialsGrantRequest(client.as, client.client, client.auth, { scope }, client.options()),
    ),
  );
  return tokens.access_token;
}
