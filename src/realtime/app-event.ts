/**
 * What goes into a person's event log (src/store/event-log-repository.ts) and comes back out:
 * the app-facing events — a bank event routed to one of the person's links, or a consent event
 * one app is told about. Payloads are JSON in the store; dates survive the round trip tagged.
 */
import { isDataEvent, type BankEvent, type DataBankEvent } from "../domain/bank-event.js";
import type { Consent } from "../domain/consent.js";
import type { LoggedEvent, NewLoggedEvent } from "../store/event-log-repository.js";

/**
 * Consent events an app is told about. Their payload is the consent's id (the consent is re-read at
 * delivery); CONSENT_EXPIRING adds which warning it is ({@link ExpiryWarning}).
 */
export type ConsentEventKind = "CONSENT_EXPIRING" | "CONSENT_REVOKED" | "CONSENT_RENEWED";

const CONSENT_EVENT_KINDS: ReadonlySet<string> = new Set<ConsentEventKind>(["CONSENT_EXPIRING", "CONSENT_REVOKED", "CONSENT_RENEWED"]);

/** Which expiry warning a CONSENT_EXPIRING is: `thresholdDays` (30 or 7) before `expiresAt`, the end date it warned of. */
export interface ExpiryWarning {
  thresholdDays: number;
  expiresAt: Date;
}

/** A connect session the app created for the person ended (COMPLETED or DENIED). Its payload is the session's id. */
export type ConnectEventKind = "CONNECT_SESSION_FINISHED";

/** One of the app's payments changed status (issue 16). Its payload is the payment's id and the status it moved to. */
export type PaymentEventKind = "PAYMENT_STATUS_CHANGED";

/** Every kind of event in the log. */
export type AppEventKind = DataBankEvent["kind"] | ConsentEventKind | ConnectEventKind | PaymentEventKind;

/** An event read back from the log, typed. */
export type AppEvent =
  | { kind: "BANK"; logged: LoggedEvent; linkId: string; institutionId: string; event: DataBankEvent }
  | { kind: "CONSENT"; logged: LoggedEvent; type: ConsentEventKind; consentId: string; clientId: string; warning?: ExpiryWarning }
  | { kind: "CONNECT"; logged: LoggedEvent; connectSessionId: string; clientId: string }
  | { kind: "PAYMENT"; logged: LoggedEvent; paymentId: string; status: string; reason: string | null; clientId: string };

/** The log entry of a bank event for one person, through one of their links (bank data only: payment statuses are not logged here). */
export function bankEventEntry(userId: string, linkId: string, institutionId: string, event: DataBankEvent): NewLoggedEvent {
  return { userId, kind: event.kind, linkId, institutionId, clientId: null, occurredAt: event.occurredAt, payload: toJson(event) };
}

/**
 * The thing whose whole state a bank event carries (an account's balance, a receipt), or
 * undefined for events that are things of their own (a transaction, an alert). An event older
 * than the state already logged for its subject is not logged: state never moves backwards.
 */
export function stateSubject(event: BankEvent): string | undefined {
  if (event.kind === "BALANCE_CHANGED") return `balance:${event.accountId}`;
  if (event.kind === "RECEIPT_UPDATED") return `receipt:${event.receipt.id}`;
  return undefined;
}

/** The log entry of a consent event; only the consent's own app receives it. */
export function consentEventEntry(type: ConsentEventKind, consent: Consent, occurredAt: Date, warning?: ExpiryWarning): NewLoggedEvent {
  return {
    userId: consent.userId,
    kind: type,
    linkId: consent.linkId,
    institutionId: null,
    clientId: consent.clientId,
    occurredAt,
    payload: warning ? { consentId: consent.id, thresholdDays: warning.thresholdDays, expiresAt: warning.expiresAt.toISOString() } : { consentId: consent.id },
  };
}

/** The log entry of a finished connect session; only the app that created it receives it. */
export function connectSessionEventEntry(ended: { userId: string; clientId: string; connectSessionId: string; occurredAt: Date }): NewLoggedEvent {
  return {
    userId: ended.userId,
    kind: "CONNECT_SESSION_FINISHED",
    linkId: null,
    institutionId: null,
    clientId: ended.clientId,
    occurredAt: ended.occurredAt,
    payload: { connectSessionId: ended.connectSessionId },
  };
}

/** The log entry of a payment's status change; only the app that created the payment receives it. */
export function paymentEventEntry(
  payment: { userId: string; clientId: string; linkId: string; id: string },
  status: string,
  reason: string | null,
  occurredAt: Date,
): NewLoggedEvent {
  return {
    userId: payment.userId,
    kind: "PAYMENT_STATUS_CHANGED",
    linkId: payment.linkId,
    institutionId: null,
    clientId: payment.clientId,
    occurredAt,
    payload: { paymentId: payment.id, status, reason },
  };
}

/**
 * Each logged event read once, however many subscriptions deliver it: the feed hands the same row
 * object to every follower of a person (src/realtime/event-feed.ts), and reviving a payload is
 * most of a delivery's CPU after GraphQL. Keyed weakly: gone with the row. Read-only by contract.
 */
const read = new WeakMap<LoggedEvent, AppEvent | undefined>();

/** A logged event, typed; undefined for a kind this gateway version does not know (skipped, cursor still advances). Never mutate the answer: it is shared. */
export function readAppEvent(logged: LoggedEvent): AppEvent | undefined {
  if (read.has(logged)) return read.get(logged);
  const app = typeAppEvent(logged);
  read.set(logged, app);
  return app;
}

function typeAppEvent(logged: LoggedEvent): AppEvent | undefined {
  if (CONSENT_EVENT_KINDS.has(logged.kind)) {
    const { consentId, thresholdDays, expiresAt } = logged.payload as { consentId: string; thresholdDays?: number; expiresAt?: string };
    // Warnings logged before thresholds existed carry neither: they were the 7-day one.
    const warning = logged.kind === "CONSENT_EXPIRING" && expiresAt ? { thresholdDays: thresholdDays ?? 7, expiresAt: new Date(expiresAt) } : undefined;
    return logged.clientId
      ? { kind: "CONSENT", logged, type: logged.kind as ConsentEventKind, consentId, clientId: logged.clientId, ...(warning && { warning }) }
      : undefined;
  }
  if (logged.kind === "CONNECT_SESSION_FINISHED") {
    const { connectSessionId } = logged.payload as { connectSessionId: string };
    return logged.clientId ? { kind: "CONNECT", logged, connectSessionId, clientId: logged.clientId } : undefined;
  }
  if (logged.kind === "PAYMENT_STATUS_CHANGED") {
    const { paymentId, status, reason } = logged.payload as { paymentId: string; status: string; reason?: string | null };
    return logged.clientId ? { kind: "PAYMENT", logged, paymentId, status, reason: reason ?? null, clientId: logged.clientId } : undefined;
  }
  if (!logged.linkId || !logged.institutionId) return undefined;
  const event = fromJson(logged.payload) as BankEvent;
  return isDataEvent(event) ? { kind: "BANK", logged, linkId: logged.linkId, institutionId: logged.institutionId, event } : undefined;
}

const DATE_TAG = "$date";

/** A JSON value of `value` in which every Date becomes `{ $date: iso }`. */
function toJson(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, function (this: Record<string, unknown>, key, tagged: unknown) {
      const raw = this[key];
      return raw instanceof Date ? { [DATE_TAG]: raw.toISOString() } : tagged;
    }),
  );
}

/** The inverse of {@link toJson}. */
function fromJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const tag = (v as Record<string, unknown>)[DATE_TAG];
      if (typeof tag === "string" && Object.keys(v).length === 1) return new Date(tag);
    }
    return v;
  });
}
