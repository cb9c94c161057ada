/**
 * Payment intents (issue 16): an app starts a payment (`createPaymentIntent`), the person confirms
 * it on their own device (`confirmAndSubmit`, called by the confirmation page), the gateway submits
 * it through the bank's payment rail, and bank statuses move it forward only. Every mutation is
 * idempotent per person and key (src/payments/idempotent-calls.ts).
 *
 * Race-free limits: the decision is taken inside the transaction that inserts the intent, under
 * the consent's limits row locked FOR UPDATE, so concurrent intents on any instance are decided one
 * after the other against the same rolling 24 hours. A revocation locks the same row to cancel the
 * intents still awaiting confirmation, so no intent slips in beside it.
 */
import { randomUUID } from "node:crypto";
import { MINUTE_MS, type Clock } from "../clock.js";
import { PAYMENTS_WRITE, type Consent } from "../domain/consent.js";
import { LinkStatus } from "../domain/link.js";
import { minorFromDecimal, moneyFromMinor } from "../domain/money.js";
import { PaymentStatus, type PaymentIntent, type PaymentLimits } from "../domain/payment.js";
import { availableFunds, liveLimits, payingConsent } from "./payment-consent.js";
import { ErrorCode, GatewayError, notFound } from "../errors.js";
import type { BankSession } from "../providers/contract.js";
import type { BankPaymentStatus, PaymentRail, RegisteredPayee } from "../providers/payment-rail.js";
import type { ProviderSet } from "../providers/provider-set.js";
import type { EventOutbox } from "../realtime/event-outbox.js";
import { ConsentRepository } from "../store/consent-repository.js";
import type { Database, Queryable } from "../store/database.js";
import { LinkRepository } from "../store/link-repository.js";
import { LinkSharedAccountRepository } from "../store/link-shared-account-repository.js";
import { PaymentLimitsRepository } from "../store/payment-limits-repository.js";
import { PaymentRepository } from "../store/payment-repository.js";
import { IdempotentCalls } from "./idempotent-calls.js";
import { PaymentChanges } from "./payment-changes.js";
import { decidePayment, LIMIT_WINDOW_MS, VELOCITY_WINDOW_MS } from "./payment-decision.js";
import { paymentDetailsSha256 } from "./payment-details.js";
import { requestSha256, validateIdempotencyKey, validatePaymentInput, type CreatePaymentIntentInput } from "./payment-input.js";
import { notAllowed, refusedByBank, type PaymentAccountRef } from "./payment-refusals.js";
import { effectivePaymentStatus, isCancellable } from "./payment-status.js";
import { SUBMIT_ATTEMPTS, submitWithRetries } from "./payment-submission.js";

/** Statuses a payment has once the person confirmed it. */
const CONFIRMED_OR_LATER: ReadonlySet<PaymentStatus> = new Set([
  PaymentStatus.CONFIRMED,
  PaymentStatus.SUBMITTED,
  PaymentStatus.PENDING,
  PaymentStatus.SETTLED,
  PaymentStatus.RETURNED,
  PaymentStatus.FAILED,
]);

/** Who calls: the person (token `sub`) and the app (token client). */
export interface PaymentCaller {
  userId: string;
  clientId: string;
}

export interface PaymentServiceOptions {
  db: Database;
  clock: Clock;
  outbox: () => EventOutbox;
  providers: ProviderSet;
  /** The bank's payment rail; undefined where the bank sends no payments through Bankgraph. */
  railFor: (institutionId: string) => PaymentRail | undefined;
  /** The link's bank access token (refreshed as needed). */
  accessTokenFor: (linkId: string) => Promise<string>;
  /** The gateway's public address (no trailing slash): confirmation URLs start with it. */
  publicUrl: () => string;
  /** How long a confirmation URL works (PAYMENT_CONFIRMATION_MINUTES). */
  confirmationMinutes: number;
  /** Where the global Account ID of a payment's source comes from, and back (src/schema/global-id.ts). */
  accounts: PaymentAccountRef;
  /** Pause between submission retries (default 200 ms, doubling). */
  retryDelayMs?: number;
}

/** An intent as the app sees it: current status, and the confirmation URL while it awaits the person. */
export interface PaymentView {
  intent: PaymentIntent;
  confirmationUrl: string | null;
}

export class PaymentService {
  private readonly changes: PaymentChanges;
  private readonly keys: IdempotentCalls;

  constructor(private readonly deps: PaymentServiceOptions) {
    this.changes = new PaymentChanges(deps.clock, deps.outbox);
    this.keys = new IdempotentCalls(deps.db, deps.clock);
  }

  /**
   * Starts a payment. Refuses with PAYMENT_NOT_ALLOWED (nothing stored, no bank called) when the
   * app has no AUTHORIZED consent granting payments:write on the account's link, the account is not
   * the person's or not allowed, or the payee is not the person's at that bank; BAD_USER_INPUT for
   * malformed input. Otherwise stores the intent with the decision: APPROVED (REQUIRES_CONFIRMATION,
   * with a confirmation URL) or DECLINED (LIMIT_REACHED, INSUFFICIENT_FUNDS, RISK).
   */
  async create(caller: PaymentCaller, input: CreatePaymentIntentInput): Promise<PaymentView> {
    const valid = validatePaymentInput(input);
    const claim = {
      userId: caller.userId,
      operation: "createPaymentIntent",
      key: valid.idempotencyKey,
      requestSha256: requestSha256([caller.clientId, valid.fromAccountGlobalId, valid.payee, valid.currency, valid.amountMinor, valid.reference]),
    };
    const { paymentId } = await this.keys.run(claim, async (finish) => {
      const source = this.deps.accounts.decode(valid.fromAccountGlobalId);
      if (!source) throw notAllowed("ACCOUNT_NOT_ALLOWED");
      const link = await new LinkRepository(this.deps.db, this.deps.clock).forUser(source.linkId, caller.userId);
      if (!link) throw notAllowed("ACCOUNT_NOT_ALLOWED");
      const consent = await payingConsent(this.deps.db, this.deps.clock, caller, link.id);
      if (link.status !== LinkStatus.ACTIVE) {
        throw new GatewayError(ErrorCode.LOGIN_REQUIRED, "The person must authorize this bank again before money can be sent from it", {
          institutionId: link.institutionId,
        });
      }
      const limits = await liveLimits(this.deps.db, this.deps.clock, consent);
      if (!limits.accountIds?.includes(source.accountId)) throw notAllowed("ACCOUNT_NOT_ALLOWED");
      const shared = (await new LinkSharedAccountRepository(this.deps.db).forLink(link.id)).find((a) => a.accountId === source.accountId);
      if (!shared) throw notAllowed("ACCOUNT_NOT_ALLOWED");
      if (valid.currency !== limits.currency) {
        throw new GatewayError(ErrorCode.BAD_USER_INPUT, `This consent's payments are in ${limits.currency}`, { field: "amount.currency" });
      }
      const rail = this.deps.railFor(link.institutionId);
      if (!rail) throw notAllowed("PAYMENTS_NOT_OFFERED", link.institutionId);
      const session: BankSession = { accessToken: await this.deps.accessTokenFor(link.id) };
      if (valid.payee.kind === "REGISTERED_PAYEE") {
        const payeeId = valid.payee.payeeId;
        const payees = await refusedByBank(link.institutionId, () => rail.listPayees(session));
        if (!payees.some((p) => p.payeeId === payeeId)) throw notAllowed("PAYEE_NOT_FOUND", link.institutionId);
      }
      const fee = await refusedByBank(link.institutionId, () => rail.quoteFee(session, source.accountId, moneyFromMinor(valid.amountMinor, valid.currency)));
      const feeMinor = fee && fee.currency === valid.currency ? minorFromDecimal(fee.amount, fee.currency) : null;
      const availableMinor = await availableFunds(this.deps.providers, link.institutionId, session, source.accountId, valid.currency);

      return this.deps.db.transaction(async (tx) => {
        // The consent's payment lock: decisions and revocations of this consent, one at a time.
        const locked = await new PaymentLimitsRepository(tx).lock(consent.id);
        const current = await payingConsent(tx, this.deps.clock, caller, link.id);
        if (!locked || current.id !== consent.id) throw notAllowed("CONSENT_MISSING");
        const now = this.deps.clock.now();
        const usage = await new PaymentRepository(tx).usage(
          consent.id,
          new Date(now.getTime() - LIMIT_WINDOW_MS),
          new Date(now.getTime() - VELOCITY_WINDOW_MS),
          now,
        );
        const declineReason = decidePayment({ limits: locked, usage, amountMinor: valid.amountMinor, feeMinor, availableMinor });
        const details = {
          fromAccountId: source.accountId,
          payee: valid.payee,
          amountMinor: valid.amountMinor,
          currency: valid.currency,
          reference: valid.reference,
          feeMinor,
        };
        const intent: PaymentIntent = {
          id: randomUUID(),
          userId: caller.userId,
          clientId: caller.clientId,
          consentId: consent.id,
          linkId: link.id,
          institutionId: link.institutionId,
          fromAccountMask: shared.mask,
          ...details,
          detailsSha256: paymentDetailsSha256(details),
          status: declineReason ? PaymentStatus.DECLINED : PaymentStatus.REQUIRES_CONFIRMATION,
          declineReason,
          failureReason: null,
          createdAt: now,
          confirmExpiresAt: new Date(now.getTime() + this.deps.confirmationMinutes * MINUTE_MS),
          updatedAt: now,
          bankPaymentId: null,
          bankStatusCode: null,
          bankAsOf: null,
        };
        await this.changes.created(tx, intent);
        await finish(tx, intent.id);
        return intent.id;
      });
    });
    await this.deps.outbox().hintPerson(caller.userId);
    return this.view((await this.find(paymentId))!);
  }

  /** Cancels an intent still awaiting the person (CONFLICT, reason NOT_CANCELLABLE, otherwise). Idempotent per key. */
  async cancel(caller: PaymentCaller, paymentId: string, idempotencyKey: string): Promise<PaymentView> {
    const claim = {
      userId: caller.userId,
      operation: "cancelPaymentIntent",
      key: validateIdempotencyKey(idempotencyKey),
      requestSha256: requestSha256([paymentId]),
    };
    await this.keys.run(claim, (finish) =>
      this.deps.db.transaction(async (tx) => {
        const intent = await new PaymentRepository(tx).find(paymentId, { lock: true });
        if (!intent || intent.userId !== caller.userId || intent.clientId !== caller.clientId) throw notFound("Payment");
        const status = effectivePaymentStatus(intent, this.deps.clock.now());
        if (!isCancellable(status)) {
          throw new GatewayError(ErrorCode.CONFLICT, `This payment is ${status} and can no longer be cancelled`, { reason: "NOT_CANCELLABLE", status });
        }
        await this.changes.move(tx, intent, PaymentStatus.CANCELLED, "APP", "CANCELLED_BY_APP");
        await finish(tx, intent.id);
        return intent.id;
      }),
    );
    await this.deps.outbox().hintPerson(caller.userId);
    return this.get(caller, paymentId);
  }

  /** One of the app's payments for the person, as it is now; NOT_FOUND for anyone else's. */
  async get(caller: PaymentCaller, paymentId: string): Promise<PaymentView> {
    const intent = await this.find(paymentId);
    if (!intent || intent.userId !== caller.userId || intent.clientId !== caller.clientId) throw notFound("Payment");
    return this.view(intent);
  }

  /** One payment of the person's, as it is now (EXPIRED derived), whichever app asked; NOT_FOUND for anyone else's. */
  async forPerson(paymentId: string, personId: string): Promise<PaymentIntent> {
    const intent = await this.find(paymentId);
    if (!intent || intent.userId !== personId) throw notFound("Payment");
    return this.view(intent).intent;
  }

  /**
   * A registered payee as the person's bank names it (name, masked destination), for the person's
   * page; null for an email or phone payee, or when the bank cannot be asked (the page then names the payee by id).
   */
  async registeredPayee(intent: PaymentIntent): Promise<RegisteredPayee | null> {
    const payee = intent.payee;
    const rail = this.deps.railFor(intent.institutionId);
    if (payee.kind !== "REGISTERED_PAYEE" || !rail) return null;
    try {
      const payees = await rail.listPayees({ accessToken: await this.deps.accessTokenFor(intent.linkId) });
      return payees.find((p) => p.payeeId === payee.payeeId) ?? null;
    } catch {
      return null;
    }
  }

  /** The person declines a payment still awaiting them (CANCELLED, source PERSON); CONFLICT (NOT_CANCELLABLE) otherwise. */
  async cancelByPerson(paymentId: string, personId: string): Promise<PaymentIntent> {
    const cancelled = await this.deps.db.transaction(async (tx) => {
      const intent = await new PaymentRepository(tx).find(paymentId, { lock: true });
      if (!intent || intent.userId !== personId) throw notFound("Payment");
      const status = effectivePaymentStatus(intent, this.deps.clock.now());
      if (!isCancellable(status)) {
        throw new GatewayError(ErrorCode.CONFLICT, `This payment is ${status} and can no longer be cancelled`, { reason: "NOT_CANCELLABLE", status });
      }
      return this.changes.move(tx, intent, PaymentStatus.CANCELLED, "PERSON", "CANCELLED_BY_PERSON");
    });
    await this.deps.outbox().hintPerson(personId);
    return cancelled;
  }

  /** The app's payments for the person, newest first; one more than `first` when there is a next page. */
  async list(caller: PaymentCaller, first: number, after: { createdAt: Date; id: string } | null): Promise<PaymentView[]> {
    return (await new PaymentRepository(this.deps.db).listForApp(caller.userId, caller.clientId, first, after)).map((i) => this.view(i));
  }

  /** A payment's status history, oldest first (the caller has checked it may see the payment). */
  history(paymentId: string) {
    return new PaymentRepository(this.deps.db).history(paymentId);
  }

  /**
   * The person confirmed the payment on Bankgraph's page (passkey bound to `detailsSha256`): checks
   * the details still hash to what was confirmed (PAYMENT_DETAILS_CHANGED otherwise) and the consent
   * still grants payments:write within its limits' end (PAYMENT_NOT_ALLOWED), moves it to CONFIRMED,
   * then submits it with the intent id as the bank's idempotency key, retrying a bank that did not
   * answer with that same key (never a second payment). Called again for a confirmed payment, it
   * only submits again under the same key. NOT_FOUND for another person's payment; CONFLICT
   * (reason EXPIRED, CANCELLED, DECLINED, …) when it can no longer be confirmed.
   */
  async confirmAndSubmit(paymentId: string, personId: string, detailsSha256: string): Promise<PaymentIntent> {
    const confirmed = await this.deps.db.transaction(async (tx) => {
      const intent = await new PaymentRepository(tx).find(paymentId, { lock: true });
      if (!intent || intent.userId !== personId) throw notFound("Payment");
      const status = effectivePaymentStatus(intent, this.deps.clock.now());
      // Confirmed before (a double tap, a retry after no answer): the same payment, submitted under the same key.
      if (CONFIRMED_OR_LATER.has(status)) return intent;
      if (status !== PaymentStatus.REQUIRES_CONFIRMATION) {
        throw new GatewayError(ErrorCode.CONFLICT, `This payment is ${status} and can no longer be confirmed`, { reason: status });
      }
      if (detailsSha256 !== intent.detailsSha256 || paymentDetailsSha256(intent) !== intent.detailsSha256) {
        throw new GatewayError(ErrorCode.PAYMENT_DETAILS_CHANGED, "The payment's details are not the ones you confirmed; nothing was sent");
      }
      await new PaymentLimitsRepository(tx).lock(intent.consentId);
      const consent = await new ConsentRepository(tx).findForUser(intent.consentId, personId);
      if (!consent) throw notAllowed("CONSENT_MISSING");
      await liveLimits(tx, this.deps.clock, consent);
      return this.changes.move(tx, intent, PaymentStatus.CONFIRMED, "PERSON");
    });
    await this.deps.outbox().hintPerson(personId);
    if (confirmed.status !== PaymentStatus.CONFIRMED) return confirmed;
    return this.submitConfirmed(confirmed, SUBMIT_ATTEMPTS);
  }

  /**
   * Sends a CONFIRMED payment to its bank under its own id as the idempotency key (`attempts` in
   * all, the bank's unanswered calls retried): the bank's answer moves it forward, a refusal makes
   * it FAILED, no answer leaves it CONFIRMED. The status poller calls it again for a payment no
   * attempt reached: the bank answers the payment it already has, never a second one.
   */
  async submitConfirmed(confirmed: PaymentIntent, attempts: number): Promise<PaymentIntent> {
    const rail = this.deps.railFor(confirmed.institutionId);
    if (!rail) throw notAllowed("PAYMENTS_NOT_OFFERED", confirmed.institutionId);
    const session: BankSession = { accessToken: await this.deps.accessTokenFor(confirmed.linkId) };
    const outcome = await submitWithRetries(rail, session, confirmed, { baseDelayMs: this.deps.retryDelayMs ?? 200, attempts });
    const after = await this.deps.db.transaction(async (tx) => {
      const current = (await new PaymentRepository(tx).find(confirmed.id, { lock: true }))!;
      if (outcome.kind === "STATUS") return this.changes.fromBank(tx, current, outcome.status);
      if (outcome.kind === "REFUSED" && current.status === PaymentStatus.CONFIRMED)
        return this.changes.move(tx, current, PaymentStatus.FAILED, "BANK", outcome.reason);
      return current; // no answer after every retry: stays CONFIRMED; submitting again uses the same key
    });
    await this.deps.outbox().hintPerson(confirmed.userId);
    return after;
  }

  /**
   * A bank's status notification for one of its payments (webhook or poll): moves the intent forward
   * only (src/payments/payment-status.ts). Returns the intent as stored now, or null when the bank's
   * payment id is unknown.
   */
  async applyBankStatus(institutionId: string, status: BankPaymentStatus): Promise<PaymentIntent | null> {
    const applied = await this.deps.db.transaction((tx) => this.applyBankStatusIn(tx, institutionId, status));
    if (applied) await this.deps.outbox().hintPerson(applied.userId);
    return applied;
  }

  /** {@link applyBankStatus} inside the caller's transaction (the bank's webhook delivery); wake the person after commit. */
  async applyBankStatusIn(tx: Queryable, institutionId: string, status: BankPaymentStatus): Promise<PaymentIntent | null> {
    const intent = await new PaymentRepository(tx).findByBankId(institutionId, status.bankPaymentId, { lock: true });
    return intent && this.changes.fromBank(tx, intent, status);
  }

  /**
   * Inside a revocation's (or expiry's) transaction: every intent of the consent still awaiting the
   * person is CANCELLED (actor SYSTEM, the reason given), under the consent's payment lock — so no
   * intent is approved beside the revocation. Submitted payments are the bank's to finish.
   */
  async cancelAwaitingIn(tx: Queryable, consent: Consent, reason: string): Promise<number> {
    if (!consent.scopes.includes(PAYMENTS_WRITE)) return 0;
    await new PaymentLimitsRepository(tx).lock(consent.id);
    const awaiting = await new PaymentRepository(tx).lockAwaitingConfirmation(consent.id);
    for (const intent of awaiting) await this.changes.move(tx, intent, PaymentStatus.CANCELLED, "SYSTEM", reason);
    return awaiting.length;
  }

  /** The payment limits of a consent (the caller has checked it may see the consent); null without payments:write. */
  limitsOf(consentId: string): Promise<PaymentLimits | null> {
    return new PaymentLimitsRepository(this.deps.db).find(consentId);
  }

  /** Forgets idempotency keys older than 7 days. */
  pruneIdempotencyKeys(): Promise<number> {
    return this.keys.prune();
  }

  // ── Internals ─────────────────────────────────────────────────────────────────────────────

  private find(id: string): Promise<PaymentIntent | null> {
    return new PaymentRepository(this.deps.db).find(id);
  }

  private view(stored: PaymentIntent): PaymentView {
    const intent = { ...stored, status: effectivePaymentStatus(stored, this.deps.clock.now()) };
    const awaiting = intent.status === PaymentStatus.REQUIRES_CONFIRMATION;
    return { intent, confirmationUrl: awaiting ? `${this.deps.publicUrl()}/payments/${intent.id}/confirm` : null };
  }
}
