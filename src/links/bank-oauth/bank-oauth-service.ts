/**
 * Bankgraph as each bank's OAuth 2 client (the `BankAuthorization` seam, `../bank-authorization.ts`):
 * authorization code + PKCE S256, `state` bound server-side to one attempt of one person (only its
 * SHA-256 is stored; the PKCE verifier is stored encrypted), PAR where the bank's format pushes (or
 * the bank requires it), the `iss` response parameter required and checked, the code exchanged with
 * client_secret_basic, and the bank's tokens stored encrypted on the person's link — created, or
 * re-activated when it exists (a LOGIN_REQUIRED link is repaired this way).
 *
 * A refused callback (unknown, used or expired state, another person's attempt, wrong `iss`, a code
 * the bank refuses) throws a BAD_USER_INPUT GatewayError naming what was wrong, and stores nothing.
 * The bank's format (scopes, FDX details, UK consent) comes from the bank's provider folder.
 */
import { createHash } from "node:crypto";
import * as oauth from "oauth4webapi";
import type { Clock } from "../../clock.js";
import { SCOPES } from "../../domain/consent.js";
import { LinkStatus } from "../../domain/link.js";
import { badInput } from "../../errors.js";
import { ProviderError } from "../../providers/provider-error.js";
import type { ProviderSet } from "../../providers/provider-set.js";
import { BankAuthorizationAttemptRepository, type AttemptRefusal } from "../../store/bank-authorization-attempt-repository.js";
import type { Database } from "../../store/database.js";
import { LinkSharedAccountRepository } from "../../store/link-shared-account-repository.js";
import { LinkAccountRepository } from "../../store/link-account-repository.js";
import { LinkRepository } from "../../store/link-repository.js";
import type { TokenCipher } from "../../store/token-cipher.js";
import type {
  BankAuthorization,
  BankAuthorizationOutcome,
  BankAuthorizationRequest,
  BankAuthorizationStart,
  BankCallbackParams,
} from "../bank-authorization.js";
import { callBank, clientCredentialsToken, type BankOAuthClients } from "./bank-oauth-clients.js";
import { expiryOf } from "./bank-tokens.js";

/** How long the person has between being sent to the bank and coming back. */
export const ATTEMPT_MINUTES = 10;
/** Longest a bank grant may last (a consent lasts at most a year). */
const MAX_GRANT_DAYS = 366;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export interface BankOAuthServiceDeps {
  db: Database;
  clock: Clock;
  cipher: TokenCipher;
  providers: ProviderSet;
  clients: BankOAuthClients;
  /** Told after a link got new bank tokens (forget what the cache holds for it). */
  onLinked?: (linkId: string) => void;
}

const REFUSAL_MESSAGE: Record<AttemptRefusal, string> = {
  UNKNOWN: "This bank authorization is unknown (the state does not match any attempt of yours); start again",
  USED: "This bank authorization was already completed (state used before); start again",
  EXPIRED: `This bank authorization expired (more than ${ATTEMPT_MINUTES} minutes passed); start again`,
};

const sha256 = (text: string) => createHash("sha256").update(text).digest("base64url");

/** A bank failure as the client-safe error (DOWN, TIMEOUT, …); anything else unchanged. */
function gatewayErrorOf(error: unknown): unknown {
  return error instanceof ProviderError ? error.toGatewayError() : error;
}

export class BankOAuthService implements BankAuthorization {
  constructor(private readonly deps: BankOAuthServiceDeps) {}

  async begin(request: BankAuthorizationRequest): Promise<BankAuthorizationStart> {
    const { institutionId } = request;
    const bank = this.deps.providers.bank(institutionId);
    const provider = this.deps.providers.get(institutionId);
    if (!bank || !provider) throw badInput(`Unknown institution: ${institutionId}`, { institutionId });
    const now = this.deps.clock.now();
    this.validate(request, now);
    try {
      const client = await this.deps.clients.for(institutionId);
      const prepared = await bank.authorization.prepare(
        { scopes: request.scopes, ...(request.historyDays !== undefined ? { historyDays: request.historyDays } : {}), expiresAt: request.expiresAt, now },
        { http: bank.http, clientCredentialsToken: (scope) => clientCredentialsToken(client, scope) },
      );
      const codeVerifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const parameters: Record<string, string> = {
        client_id: client.client.client_id,
        response_type: "code",
        redirect_uri: request.redirectUri,
        state,
        code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: "S256",
        ...prepared.parameters,
      };
      const authorizationUrl = new URL(client.as.authorization_endpoint!);
      if (bank.authorization.pushed || client.as.require_pushed_authorization_requests) {
        const pushed = await callBank(institutionId, provider.name, "PAR", async () =>
          oauth.processPushedAuthorizationResponse(
            client.as,
            client.client,
            await oauth.pushedAuthorizationRequest(client.as, client.client, client.auth, parameters, client.options()),
          ),
        );
        authorizationUrl.searchParams.set("client_id", client.client.client_id);
        authorizationUrl.searchParams.set("request_uri", pushed.request_uri);
      } else {
        for (const [key, value] of Object.entries(parameters)) authorizationUrl.searchParams.set(key, value);
      }
      const attempts = new BankAuthorizationAttemptRepository(this.deps.db);
      await attempts.deleteExpired(new Date(now.getTime() - DAY_MS));
      const attempt = await attempts.create({
        userId: request.userId,
        institutionId,
        stateHash: sha256(state),
        codeVerifierCiphertext: this.deps.cipher.encrypt(codeVerifier),
        redirectUri: request.redirectUri,
        scopes: request.scopes,
        ...(request.historyDays !== undefined ? { historyDays: request.historyDays } : {}),
        grantExpiresAt: request.expiresAt,
        ...(prepared.bankGrantId ? { bankGrantId: prepared.bankGrantId } : {}),
        createdAt: now,
        expiresAt: new Date(now.getTime() + ATTEMPT_MINUTES * MINUTE_MS),
      });
      return { attemptId: attempt.id, authorizationUrl: authorizationUrl.href };
    } catch (error) {
      if (error instanceof oauth.ResponseBodyError) {
        throw badInput(`${provider.name} refused the authorization request (${error.error})`, { institutionId });
      }
      throw gatewayErrorOf(error);
    }
  }

  async complete(userId: string, params: BankCallbackParams): Promise<BankAuthorizationOutcome> {
    const state = params.get("state");
    if (!state) throw badInput("The bank's answer carries no state");
    const now = this.deps.clock.now();
    const claimed = await new BankAuthorizationAttemptRepository(this.deps.db).consume(sha256(state), userId, now);
    if (typeof claimed === "string") throw badInput(REFUSAL_MESSAGE[claimed]);
    const { institutionId } = claimed;
    const provider = this.deps.providers.get(institutionId);
    if (!provider) throw badInput(`Unknown institution: ${institutionId}`, { institutionId });
    try {
      const client = await this.deps.clients.for(institutionId);
      let answer: URLSearchParams;
      try {
        // RFC 9207: the answer must name the bank we sent the person to, whatever its metadata says.
        if (!params.get("iss")) throw new oauth.OperationProcessingError('response parameter "iss" (issuer) missing');
        answer = oauth.validateAuthResponse(client.as, client.client, params, state);
      } catch (error) {
        if (error instanceof oauth.AuthorizationResponseError) return { status: "DENIED", attemptId: claimed.id, error: error.error };
        throw badInput(`The answer does not come from ${provider.name}: its issuer (iss) is missing or wrong`, { institutionId });
      }
      const codeVerifier = this.deps.cipher.decrypt(claimed.codeVerifierCiphertext);
      let tokens: oauth.TokenEndpointResponse;
      try {
        tokens = await callBank(institutionId, provider.name, "code exchange", async () =>
          oauth.processAuthorizationCodeResponse(
            client.as,
            client.client,
            await oauth.authorizationCodeGrantRequest(client.as, client.client, client.auth, answer, claimed.redirectUri, codeVerifier, client.options()),
          ),
        );
      } catch (error) {
        if (error instanceof oauth.ResponseBodyError) {
          throw badInput(
            `${provider.name} refused the authorization code (${error.error}): it was used before, has expired, or was not issued for this attempt`,
            { institutionId },
          );
        }
        throw error;
      }
      // The accounts the person chose at the bank: the bank's token covers exactly those.
      const accounts = await provider.listAccounts({ accessToken: tokens.access_token });
      const grant = {
        accessTokenCiphertext: this.deps.cipher.encrypt(tokens.access_token),
        accessTokenExpiresAt: expiryOf(tokens, this.deps.clock),
        refreshTokenCiphertext: tokens.refresh_token ? this.deps.cipher.encrypt(tokens.refresh_token) : null,
        bankGrantId: claimed.bankGrantId ?? grantIdOf(tokens),
        accountIds: accounts.map((a) => a.id),
        grantExpiresAt: claimed.grantExpiresAt,
      };
      const link = await this.deps.db.transaction(async (tx) => {
        const links = new LinkRepository(tx, this.deps.clock);
        const existing = await links.findLive(userId, institutionId);
        const saved = (existing && (await links.reactivate(existing.id, grant))) || (await links.create(userId, institutionId, grant));
        // What the person's receipts and /connections name: type, name and last four digits of each account chosen (never the full number).
        await new LinkSharedAccountRepository(tx).replace(
          saved.id,
          accounts.map((a) => ({ accountId: a.id, type: a.type, name: a.name, mask: a.mask })),
        );
        return saved;
      });
      // Event routing knows the chosen accounts at once (no scan of the bank needed).
      await new LinkAccountRepository(this.deps.db).saveScan(link.id, institutionId, grant.accountIds, now);
      this.deps.onLinked?.(link.id);
      return { status: "LINKED", link: { ...link, status: LinkStatus.ACTIVE }, accountIds: grant.accountIds, attemptId: claimed.id };
    } catch (error) {
      throw gatewayErrorOf(error);
    }
  }

  private validate(request: BankAuthorizationRequest, now: Date): void {
    if (request.scopes.length === 0 || request.scopes.some((s) => !(SCOPES as readonly string[]).includes(s))) {
      throw badInput(`scopes must be a non-empty list of ${SCOPES.join(", ")}`);
    }
    const days = (request.expiresAt.getTime() - now.getTime()) / DAY_MS;
    if (!(days > 0 && days <= MAX_GRANT_DAYS)) throw badInput("expiresAt must be in the future and at most a year away");
    if (request.historyDays !== undefined && !(Number.isInteger(request.historyDays) && request.historyDays >= 1 && request.historyDays <= 3650)) {
      throw badInput("historyDays must be a whole number of days from 1 to 3650");
    }
    let uri: URL;
    try {
      uri = new URL(request.redirectUri);
    } catch {
      throw badInput("redirectUri must be an absolute URL");
    }
    if (uri.protocol !== "https:" && uri.protocol !== "http:") throw badInput("redirectUri must be an http(s) URL");
    if (uri.hash) throw badInput("redirectUri must not have a fragment");
  }
}

/**
 * The bank's grant id where a token response carries one: FDX consent id in `authorization_details`,
 * or Grant Management's `grant_id` — what the bank's security events name as their subject.
 */
function grantIdOf(tokens: oauth.TokenEndpointResponse): string | null {
  for (const detail of tokens.authorization_details ?? []) {
    const id = (detail as { consentId?: unknown }).consentId;
    if (typeof id === "string") return id;
  }
  return typeof tokens.grant_id === "string" ? tokens.grant_id : null;
}
