/**
 * What a payment checks before anything is stored: the app's consent granting payments:write on
 * the link, its limits still in force, and — where the bank says — the source account's funds.
 */
import type { Clock } from "../clock.js";
import { effectiveStatus } from "../consent/lifecycle.js";
import { ConsentStatus, PAYMENTS_WRITE, type Consent } from "../domain/consent.js";
import { minorFromDecimal } from "../domain/money.js";
import type { PaymentLimits } from "../domain/payment.js";
import type { BankSession } from "../providers/contract.js";
import type { ProviderSet } from "../providers/provider-set.js";
import { ConsentRepository } from "../store/consent-repository.js";
import type { Queryable } from "../store/database.js";
import { PaymentLimitsRepository } from "../store/payment-limits-repository.js";
import { notAllowed } from "./payment-refusals.js";

/** The app's AUTHORIZED consent on the link granting payments:write; PAYMENT_NOT_ALLOWED (CONSENT_MISSING) otherwise. */
export async function payingConsent(db: Queryable, clock: Clock, caller: { userId: string; clientId: string }, linkId: string): Promise<Consent> {
  const now = clock.now();
  const consents = await new ConsentRepository(db).listForUser(caller.userId, { clientId: caller.clientId, linkId });
  const live = consents.find((c) => effectiveStatus(c, now) === ConsentStatus.AUTHORIZED);
  if (!live || !live.scopes.includes(PAYMENTS_WRITE)) throw notAllowed("CONSENT_MISSING");
  return live;
}

/** The consent's limits while they and the consent still hold; PAYMENT_NOT_ALLOWED (CONSENT_MISSING) otherwise. */
export async function liveLimits(db: Queryable, clock: Clock, consent: Consent): Promise<PaymentLimits> {
  const now = clock.now();
  const limits = await new PaymentLimitsRepository(db).find(consent.id);
  const ended = limits?.endsAt && limits.endsAt.getTime() <= now.getTime();
  if (!limits || ended || effectiveStatus(consent, now) !== ConsentStatus.AUTHORIZED || !consent.scopes.includes(PAYMENTS_WRITE)) {
    throw notAllowed("CONSENT_MISSING");
  }
  return limits;
}

/** Available funds of the account where the bank says, in minor units; null when unknown (then not checked). */
export async function availableFunds(
  providers: ProviderSet,
  institutionId: string,
  session: BankSession,
  accountId: string,
  currency: string,
): Promise<bigint | null> {
  try {
    const [balance] = (await providers.get(institutionId)?.getBalances(session, [accountId])) ?? [];
    const money = balance?.available ?? balance?.current;
    return money && money.currency === currency ? minorFromDecimal(money.amount, currency) : null;
  } catch {
    return null; // the bank could not say: it refuses the payment itself if the money is not there
  }
}
