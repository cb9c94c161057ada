/**
 * Telling a bank that Bankgraph's grant for a link has ended — when the link's last live consent
 * ends (the grant is per link and shared by every app the person allowed at that bank, so it
 * outlives any one app's consent) or the person unlinks the bank. Reliably and without holding up
 * the person: {@link BankGrantRevocations.enqueueIn} moves the link's tokens into an outbox row in
 * the revoking transaction (src/store/bank-grant-revocation-repository.ts); after commit the
 * dispatcher calls the bank its own way (the provider's `revokeGrant`: FDX consent revocation for
 * Chase, the UK consent DELETE for Citi, RFC 7009 for the others), retrying with backoff. A bank
 * that cannot be reached never undoes or delays the person's revocation; failures are logged
 * without tokens and the tokens are erased once the bank confirmed or the dispatcher gave up.
 */
import * as oauth from "oauth4webapi";
import type { Logger } from "../../observability/logger.js";
import { revokeTokens, type GrantToRevoke, type RevocationTools } from "../../providers/authorization-format.js";
import type { ProviderSet } from "../../providers/provider-set.js";
import { GiveUp, OutboxWorker, type OutboxRetryOptions } from "../../resilience/outbox-dispatcher.js";
import { BankGrantRevocationRepository, REVOCATION_SECRETS, type BankGrantRevocation } from "../../store/bank-grant-revocation-repository.js";
import type { Database, Queryable } from "../../store/database.js";
import type { TokenCipher } from "../../store/token-cipher.js";
import { callBank, clientCredentialsToken, type BankOAuthClients } from "./bank-oauth-clients.js";

/** Why a grant is revoked. */
export type GrantEndReason = "LAST_CONSENT_ENDED" | "LINK_REMOVED";

export interface BankGrantRevocationsOptions {
  db: Database;
  cipher: TokenCipher;
  clients: BankOAuthClients;
  providers: ProviderSet;
  retry: OutboxRetryOptions;
  logger: Logger;
  /** Told after each settled attempt (tests, metrics). */
  onSettled?: (revocation: BankGrantRevocation, outcome: "DELIVERED" | "RETRY" | "ABANDONED") => void;
}

export class BankGrantRevocations extends OutboxWorker<BankGrantRevocation> {
  constructor(private readonly options: BankGrantRevocationsOptions) {
    const rows = () => new BankGrantRevocationRepository(options.db).rows;
    super({
      name: "bank-grant-revocations",
      retry: options.retry,
      logger: options.logger,
      onSettled: options.onSettled,
      store: {
        claimDue: (now, leaseMs, limit) => rows().claimDue(now, leaseMs, limit),
        delivered: (row, at) => rows().delivered(row.id, at, REVOCATION_SECRETS),
        retryLater: (row, retryAt, error) => rows().retryLater(row.id, retryAt, error),
        abandoned: (row, at, error) => rows().abandoned(row.id, at, error, REVOCATION_SECRETS),
      },
    });
  }

  /**
   * In the caller's transaction: the link's grant is to be revoked at the bank (its tokens leave
   * the link now). Returns false when the link holds no grant any more. Call {@link wake} after commit.
   */
  async enqueueIn(tx: Queryable, linkId: string, reason: GrantEndReason): Promise<boolean> {
    return (await new BankGrantRevocationRepository(tx).enqueueFromLink(linkId, reason, new Date())) !== null;
  }

  protected async send(row: BankGrantRevocation): Promise<void> {
    const bank = this.options.providers.bank(row.institutionId);
    if (!bank) throw new GiveUp(`${row.institutionId} is not configured on this gateway`);
    const { cipher } = this.options;
    const grant: GrantToRevoke = {
      bankGrantId: row.bankGrantId,
      accessToken: row.accessTokenCiphertext ? cipher.decrypt(row.accessTokenCiphertext) : null,
      refreshToken: row.refreshTokenCiphertext ? cipher.decrypt(row.refreshTokenCiphertext) : null,
    };
    const client = await this.options.clients.for(row.institutionId);
    const credentials = this.options.clients.credentials(row.institutionId)!;
    const tools: RevocationTools = {
      http: bank.http,
      clientCredentialsToken: (scope) => clientCredentialsToken(client, scope),
      clientAuthorization: () =>
        `Basic ${Buffer.from(`${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`).toString("base64")}`,
      revokeToken: async (token, hint) => {
        await callBank(client.institutionId, client.institutionName, "token revocation", async () =>
          oauth.processRevocationResponse(
            await oauth.revocationRequest(client.as, client.client, client.auth, token, {
              ...client.options(),
              additionalParameters: { token_type_hint: hint },
            }),
          ),
        );
      },
    };
    try {
      await (bank.authorization.revokeGrant ?? revokeTokens)(grant, tools);
    } catch (error) {
      // The bank's own words may not reach the store or logs (they could echo a token): only the kind of failure.
      const kind =
        error instanceof oauth.ResponseBodyError ? `the bank refused (${error.status} ${error.error})` : error instanceof Error ? error.message : "failed";
      throw new Error(`revoking the grant at ${client.institutionName}: ${kind}`, { cause: error });
    }
  }
}
