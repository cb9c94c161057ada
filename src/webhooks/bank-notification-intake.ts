/**
 * What happens to one Security Event Token a bank pushes to `/bank-notifications/:bank` (RFC 8935),
 * independent of HTTP. The SET (RFC 8417) must be a JWT of type `secevent+jwt`, signed with a key
 * the bank publishes at its `jwks_uri` (fetched with jose's remote key set, cached per bank, refetched
 * when an unknown `kid` appears), issued by that bank (`iss` = its issuer), addressed to Bankgraph
 * (`aud` = our client id there), recent (`iat` within {@link MAX_AGE_SECONDS}) and never seen before
 * (`jti`, recorded once per bank across all instances).
 *
 * The event Bankgraph acts on is CAEP `session-revoked` whose subject (`sub_id`, opaque) is the
 * bank's grant id — the `grant_id` the link stored when it was made. In ONE transaction the jti is
 * recorded and the link's grant is treated as revoked at the bank (src/links/revoked-at-bank.ts);
 * the answer is 202 only after that commit. A valid SET about a grant we do not hold (already
 * unlinked, or another gateway's) or of an event type we do not act on is accepted and changes
 * nothing. A refused SET answers 400 with an RFC 8935 error code (`invalid_key`, `invalid_issuer`,
 * `invalid_audience`, `invalid_request`) and changes nothing; the bank does not retry those. When the
 * bank's keys cannot be fetched the answer is 503, which the bank does retry.
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { z } from "zod";
import type { Clock } from "../clock.js";
import type { Consent } from "../domain/consent.js";
import type { BankOAuthClient, BankOAuthClients } from "../links/bank-oauth/bank-oauth-clients.js";
import type { RevokedAtBank } from "../links/revoked-at-bank.js";
import type { Logger } from "../observability/logger.js";
import { ProviderError } from "../providers/provider-error.js";
import { BankSecurityEventRepository } from "../store/bank-security-event-repository.js";
import type { Database } from "../store/database.js";
import { LinkRepository } from "../store/link-repository.js";

/** CAEP 1.0: the session — for a bank, the grant it gave Bankgraph — was revoked. */
export const SESSION_REVOKED_EVENT = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
/** RFC 8935 §2: the media type of a pushed SET. */
export const SET_MEDIA_TYPE = "application/secevent+jwt";
/** A SET older than this (by its `iat`) is refused; its jti is remembered at least this long. */
export const MAX_AGE_SECONDS = 600;
/** Leeway for the bank's clock ahead of ours, as for bank webhooks. */
const CLOCK_TOLERANCE_SECONDS = 300;
const ALGORITHMS = ["ES256", "ES384", "PS256", "RS256", "EdDSA"];

/** RFC 8935 §2.3 error codes this intake answers with. */
export type SetErrorCode = "invalid_request" | "invalid_key" | "invalid_issuer" | "invalid_audience";

/** A push refused: 400 (RFC 8935 error, final), 404 (no such bank here) or 503 (try again). */
export interface BankNotificationRefusal {
  status: 400 | 404 | 503;
  body: { err: SetErrorCode | "not_found" | "temporarily_unavailable"; description: string };
}

/** The answer to one push. */
export type BankNotificationAnswer = { status: 202; body: null } | BankNotificationRefusal;

export interface BankNotificationIntakeDeps {
  db: Database;
  clock: Clock;
  /** Bankgraph's OAuth client at each bank: the bank's metadata (issuer, jwks_uri) and our client id. */
  clients: BankOAuthClients;
  /** Whether the bank is configured in this gateway (has a URL). */
  isConfigured(institutionId: string): boolean;
  revokedAtBank: RevokedAtBank;
  logger: Logger;
}

const sessionRevoked = z.object({
  sub_id: z.object({ format: z.literal("opaque"), id: z.string().min(1).max(200) }),
  jti: z.string().min(1).max(200),
  events: z.object({ [SESSION_REVOKED_EVENT]: z.object({}).passthrough() }).passthrough(),
});

const refuse = (err: SetErrorCode, description: string): BankNotificationRefusal => ({ status: 400, body: { err, description } });

export class BankNotificationIntake {
  private readonly keySets = new Map<string, { uri: string; keys: ReturnType<typeof createRemoteJWKSet> }>();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: BankNotificationIntakeDeps) {}

  /** Handles one push: `contentType` as sent, `body` the compact JWT. */
  receive(institutionId: string, contentType: string | undefined, body: string): Promise<BankNotificationAnswer> {
    const work = this.handle(institutionId, contentType, body);
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  /** Resolves once every push being handled has answered (shutdown). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async handle(institutionId: string, contentType: string | undefined, body: string): Promise<BankNotificationAnswer> {
    if (!this.deps.isConfigured(institutionId) || !this.deps.clients.credentials(institutionId)) {
      return { status: 404, body: { err: "not_found", description: "No bank notifications for this institution" } };
    }
    if ((contentType ?? "").split(";")[0]!.trim().toLowerCase() !== SET_MEDIA_TYPE) {
      return refuse("invalid_request", `The body must be a Security Event Token sent as ${SET_MEDIA_TYPE}`);
    }
    let client: BankOAuthClient;
    try {
      client = await this.deps.clients.for(institutionId);
    } catch (error) {
      if (error instanceof ProviderError) return unavailable("The bank's metadata cannot be read right now; try again");
      throw error;
    }
    const checked = await this.verify(client, body.trim());
    if (!checked.ok) return checked.refusal;
    const verified = checked.payload;
    const event = sessionRevoked.safeParse(verified);
    if (!verified.events || typeof verified.events !== "object") return refuse("invalid_request", "The SET carries no events claim");
    const now = this.deps.clock.now();
    const outcome = await this.deps.db.transaction(async (tx) => {
      const ledger = new BankSecurityEventRepository(tx);
      if (!(await ledger.recordOnce(institutionId, verified.jti!, now))) return "REPLAY" as const;
      await ledger.pruneBefore(new Date(now.getTime() - 2 * MAX_AGE_SECONDS * 1000));
      if (!event.success) return { linkId: null, revoked: [] as Consent[] };
      const link = await new LinkRepository(tx, this.deps.clock).lockLiveByBankGrant(institutionId, event.data.sub_id.id);
      if (!link) return { linkId: null, revoked: [] as Consent[] };
      return { linkId: link.id, revoked: await this.deps.revokedAtBank.apply(tx, link) };
    });
    if (outcome === "REPLAY") return refuse("invalid_request", "This SET (its jti) was received before");
    if (outcome.linkId) this.deps.revokedAtBank.announce(outcome.linkId, outcome.revoked);
    this.deps.logger.info(
      { institutionId, jti: verified.jti, acted: outcome.linkId !== null, consentsRevoked: outcome.revoked.length },
      event.success ? "bank revoked a grant (security event)" : "bank security event of a type not acted on",
    );
    return { status: 202, body: null };
  }

  /** The SET's verified claims, or the refusal. */
  private async verify(client: BankOAuthClient, set: string): Promise<{ ok: true; payload: JWTPayload } | { ok: false; refusal: BankNotificationRefusal }> {
    const jwksUri = client.as.jwks_uri;
    if (!jwksUri) return { ok: false, refusal: unavailable("The bank publishes no signing keys (jwks_uri)") };
    let cached = this.keySets.get(client.institutionId);
    if (!cached || cached.uri !== jwksUri) {
      cached = { uri: jwksUri, keys: createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5_000 }) };
      this.keySets.set(client.institutionId, cached);
    }
    try {
      const { payload } = await jwtVerify(set, cached.keys, {
        typ: "secevent+jwt",
        algorithms: ALGORITHMS,
        issuer: client.as.issuer,
        audience: client.client.client_id,
        requiredClaims: ["iat", "jti"],
        maxTokenAge: MAX_AGE_SECONDS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: this.deps.clock.now(),
      });
      if (typeof payload.jti !== "string" || payload.jti.length === 0 || payload.jti.length > 200) {
        return { ok: false, refusal: refuse("invalid_request", "jti must be a short string") };
      }
      return { ok: true, payload };
    } catch (error) {
      return { ok: false, refusal: refusalOf(error) };
    }
  }
}

function unavailable(description: string): BankNotificationRefusal {
  return { status: 503, body: { err: "temporarily_unavailable", description } };
}

/** What a jose failure means for the bank (never the SET's content). */
function refusalOf(error: unknown): BankNotificationRefusal {
  if (error instanceof joseErrors.JWKSTimeout || (error instanceof TypeError && /fetch/i.test(error.message))) {
    return unavailable("The bank's signing keys cannot be fetched right now; try again");
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) {
    return refuse("invalid_key", "The signature does not verify with the bank's published keys");
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return refuse("invalid_issuer", "The SET was not issued by this bank");
    if (error.claim === "aud") return refuse("invalid_audience", "The SET is not addressed to Bankgraph");
    if (error.claim === "typ") return refuse("invalid_request", "The SET's typ header must be secevent+jwt");
    return refuse("invalid_request", `The SET's ${error.claim} claim is missing or out of range`);
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return refuse("invalid_request", `The SET must be signed with one of ${ALGORITHMS.join(", ")}`);
  if (error instanceof joseErrors.JOSEError) return refuse("invalid_request", "The body is not a signed JWT");
  throw error;
}
