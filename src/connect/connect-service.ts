/**
 * The connect flow's two faces, as interfaces (the implementation is `ConnectSessionService`,
 * `src/connect/connect-session-service.ts`):
 * - {@link ConnectSessions}: what an app does through GraphQL with its own token
 *   (`createConnectSession`, `connectSession(id)`);
 * - {@link ConnectJourney}: what Bankgraph's own pages (src/web/) do for the signed-in person:
 *   open the session, record the disclosure, pick banks, go to each bank and back, finish or cancel.
 *
 * Every refusal is a GatewayError whose `extensions.reason` is one of {@link ConnectRefusal}, so a
 * page can show a clear message; nothing is stored when a call is refused.
 */
import type { PaymentLimitsInput } from "../consent/payment-limits.js";
import type { ConsentPurpose, Scope } from "../domain/consent.js";
import type { PaymentLimits } from "../domain/payment.js";
import type { ConnectSession, DisclosureRecord } from "../domain/connect-session.js";
import type { BankAuthorizationStart, BankCallbackParams } from "../links/bank-authorization.js";

/** `extensions.reason` of a connect-flow refusal. */
export type ConnectRefusal =
  /** No such session, or it belongs to another app (app side): answered like "does not exist". */
  | "SESSION_NOT_FOUND"
  /** The signed-in person is not the one the app created the session for. */
  | "WRONG_PERSON"
  /** The session ran past `expiresAt`. */
  | "SESSION_EXPIRED"
  /** The session is already COMPLETED or DENIED (a second completion, a replayed callback). */
  | "SESSION_FINISHED"
  /** A step out of order: banks before the disclosure, a callback with no bank pending, finishing with a bank still open. */
  | "OUT_OF_ORDER"
  /** A bank the session does not offer (or not one of the person's picks). */
  | "INSTITUTION_NOT_OFFERED";

/** What an app sends to `createConnectSession` (raw: validated by {@link ConnectSessions.create}). */
export interface CreateConnectSessionInput {
  purpose: string;
  scopes: readonly string[];
  /** Banks the person may choose among; default every registered bank. */
  institutionIds?: readonly string[] | null;
  /** 1–365. */
  durationDays: number;
  /** 1–3650 when given. */
  historyDays?: number | null;
  /** Must equal one of the app's registered redirect URIs exactly (no prefix or pattern match). */
  redirectUri: string;
  /** 1–512 printable ASCII characters; echoed on the redirect. */
  state: string;
  /** Required with payments:write, refused without it: the limits the person is asked to allow (they may lower them). */
  paymentLimits?: PaymentLimitsInput | null;
}

/** What the app gets back: the URL to send the person to, and until when it works. */
export interface ConnectSessionCreated {
  id: string;
  /** `${PUBLIC_URL}/connect/${id}`: opens on any device, carries no secret beyond the unguessable id. */
  url: string;
  expiresAt: Date;
}

/** The app's side of connect sessions. */
export interface ConnectSessions {
  /**
   * Validates everything up front and stores a PENDING session for (app, person). Refuses with
   * BAD_USER_INPUT (unknown scope, scope not allowed for the app or beyond what the purpose may
   * carry, unknown institution, duration outside 1–365, history window outside 1–3650, redirect
   * URI not registered, state missing or too long), PURPOSE_FORBIDDEN (advertising, marketing,
   * resale) or FORBIDDEN (purpose not registered for the app; app not registered). Nothing is
   * stored on a refusal.
   */
  create(clientId: string, userId: string, input: CreateConnectSessionInput): Promise<ConnectSessionCreated>;
  /** The session if `clientId` created it for `userId`; null otherwise (another app or person sees nothing). */
  getForApp(id: string, clientId: string, userId: string): Promise<ConnectSession | null>;
}

/** What the disclosure page needs besides the session: who asks, and which banks are on offer. */
export interface ConnectSessionView {
  session: ConnectSession;
  app: { id: string; displayName: string; legalName: string };
  /** The banks the person may pick (the session's), with their names, in the session's order. */
  institutions: { id: string; name: string }[];
  purpose: ConsentPurpose;
  scopes: Scope[];
  /** With payments:write: the limits the app proposes, shown apart from the read scopes. */
  paymentLimits: PaymentLimits | null;
}

/** What the disclosure page sends to be kept. */
export interface DisclosureShown {
  /** The exact text the person read (the rendered disclosure, as text). */
  text: string;
  /** The version of the template it was rendered from. */
  templateVersion: string;
}

/** Where the person goes next after a bank answered. */
export type NextConnectStep =
  /** Send the person to this bank next: call {@link ConnectJourney.beginBank} with it. */
  | { kind: "BANK"; institutionId: string }
  /** Every picked bank answered: call {@link ConnectJourney.finish}. */
  | { kind: "FINISH" };

/** How one bank's authorization ended within a session. */
export interface BankStepResult {
  institutionId: string;
  outcome: "LINKED" | "DENIED";
  /** The consent created for the link (actor USER), when LINKED. */
  consentId: string | null;
  linkId: string | null;
  /** The bank's ids of the accounts the person shared there, when LINKED. */
  accountIds: string[];
  next: NextConnectStep;
}

/** Where to send the person's browser at the end: the app's redirect URI with `state` and the outcome. */
export interface ConnectRedirect {
  /** COMPLETED: `?connect_session_id=…&status=COMPLETED&state=…`; DENIED: `?error=access_denied&state=…`. */
  redirectUrl: string;
  session: ConnectSession;
}

/** Bankgraph's pages' side: each call is for the signed-in person (`userId`, the IdP's `sub`). */
export interface ConnectJourney {
  /**
   * Opens the session for the signed-in person: the first open moves it PENDING → IN_PROGRESS and
   * records when; later opens (reloads, another device) return the same state. Refuses
   * SESSION_NOT_FOUND, WRONG_PERSON, SESSION_EXPIRED, SESSION_FINISHED.
   */
  open(sessionId: string, userId: string): Promise<ConnectSessionView>;
  /**
   * Keeps what the person saw (exact text, template version, SHA-256, person, app, time). Call it
   * when the disclosure page is rendered; the latest one is what the consents point at.
   */
  recordDisclosure(sessionId: string, userId: string, shown: DisclosureShown): Promise<DisclosureRecord>;
  /**
   * The person picked these banks (a non-empty subset of the session's, in the order given) on the
   * disclosure page; needs a recorded disclosure first (OUT_OF_ORDER otherwise). Returns the first
   * bank to go to. May be called again before the first bank is begun (the person changed their mind).
   * With payments:write, `chosenLimits` are the person's limits: each at most what the app proposed
   * (BAD_USER_INPUT, reason PAYMENT_LIMIT_RAISED, otherwise); absent = the app's proposal.
   */
  chooseInstitutions(sessionId: string, userId: string, institutionIds: readonly string[], chosenLimits?: PaymentLimits | null): Promise<NextConnectStep>;
  /**
   * Starts the authorization at one picked bank through BankAuthorization (PKCE, state, PAR …) with
   * the session's scopes, history window and consent end; `bankRedirectUri` is Bankgraph's callback
   * URL as registered at the banks. Send the browser to `authorizationUrl`.
   */
  beginBank(sessionId: string, userId: string, institutionId: string, bankRedirectUri: string): Promise<BankAuthorizationStart>;
  /**
   * The bank sent the person back: completes the pending attempt (state, iss, code, PKCE checked by
   * BankAuthorization), then creates the consent for the link with the session's scopes, purpose,
   * duration and window, authorized by the person (actor USER, detail: session and disclosure hash).
   * A denial at the bank is recorded for that bank. Refuses OUT_OF_ORDER when no bank is pending
   * and SESSION_FINISHED on a second completion.
   */
  completeBank(sessionId: string, userId: string, params: BankCallbackParams): Promise<BankStepResult>;
  /**
   * Ends the session and says where to send the browser: COMPLETED when at least one bank was
   * linked, otherwise DENIED (`error=access_denied`). Publishes the outcome to the app. Refuses
   * OUT_OF_ORDER while a bank is still pending.
   */
  finish(sessionId: string, userId: string): Promise<ConnectRedirect>;
  /**
   * The person pressed Cancel on a Bankgraph page: DENIED (consents already created for earlier
   * banks stay — the person authorized them — and are reported), redirect with
   * `error=access_denied&state=…`. `userId` is null before sign-in; a session bound to someone
   * else is refused (WRONG_PERSON).
   */
  cancel(sessionId: string, userId: string | null): Promise<ConnectRedirect>;
}
