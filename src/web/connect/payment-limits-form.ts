/**
 * The disclosure page's part for `payments:write` (issue 16): what sending money means, the limits
 * the app proposed — shown apart from the read scopes — and a small form (no script) in which the
 * person may lower them before going to the bank. The connect service checks again that nothing
 * was raised.
 */
import { lowerLimits, parsePaymentLimits } from "../../consent/payment-limits.js";
import { moneyFromMinor } from "../../domain/money.js";
import type { PaymentLimits } from "../../domain/payment.js";
import { GatewayError } from "../../errors.js";
import { html, type Html } from "../html.js";

const DATE = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });
const amount = (minor: bigint, currency: string) => `${moneyFromMinor(minor, currency).amount} ${currency}`;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The part of the disclosure (kept as text) that says what sending money allows, with the proposed limits. */
export function paymentsDisclosure(appName: string, limits: PaymentLimits, accessEnds: Date): Html {
  const ends = limits.endsAt ?? accessEnds;
  return html`<h2 id="payments-title">Sending money</h2>
    <p>
      ${appName} also asks to <strong>send money from your accounts</strong> when you ask it to. Each payment is shown to you and sent only after you confirm it
      yourself, on your own device, with your passkey (PIN or fingerprint). The app can never send money on its own.
    </p>
    <ul class="payment-limits">
      <li>At most ${amount(limits.perPaymentMinor, limits.currency)} per payment</li>
      <li>At most ${amount(limits.dailyAmountMinor, limits.currency)} and ${limits.dailyCount} payments in any 24 hours</li>
      <li>Only from the checking, savings or wallet accounts you choose at your bank</li>
      <li>Until ${DATE.format(ends)}, or sooner if you stop sharing</li>
    </ul>
    <p>You can lower these limits below. Stopping sharing cancels every payment you have not confirmed yet.</p>`;
}

/** The inputs inside the Continue form, pre-filled with the proposed limits (or what the person typed, after an error). */
export function paymentLimitFields(limits: PaymentLimits, accessEnds: Date): Html {
  const latest = limits.endsAt ?? accessEnds;
  const money = (minor: bigint) => moneyFromMinor(minor, limits.currency).amount;
  return html`<fieldset aria-labelledby="payments-title">
    <legend>Your limits for sending money (${limits.currency})</legend>
    <label>Per payment, at most <input name="perPayment" inputmode="decimal" required value="${money(limits.perPaymentMinor)}" /></label>
    <label>In any 24 hours, at most <input name="dailyAmount" inputmode="decimal" required value="${money(limits.dailyAmountMinor)}" /></label>
    <label
      >Payments in any 24 hours, at most <input name="dailyCount" type="number" min="1" max="${limits.dailyCount}" required value="${limits.dailyCount}"
    /></label>
    <label>Last day payments may be made <input name="endsOn" type="date" max="${isoDay(latest)}" required value="${isoDay(latest)}" /></label>
  </fieldset>`;
}

/**
 * The person's limits from the submitted form, at most `proposed`; or the message to show on the
 * page again. `endsOn` is the last day (UTC) payments may be made.
 */
export function chosenLimits(body: Record<string, unknown>, proposed: PaymentLimits, now: Date): { limits: PaymentLimits } | { error: string } {
  const text = (name: string) => {
    const value = body[name];
    return typeof value === "string" ? value.trim() : "";
  };
  const endsOn = text("endsOn");
  const endsAt = /^\d{4}-\d{2}-\d{2}$/.test(endsOn) ? new Date(`${endsOn}T23:59:59.999Z`) : null;
  if (!endsAt || Number.isNaN(endsAt.getTime())) return { error: "Choose the last day payments may be made." };
  try {
    const chosen = parsePaymentLimits(
      { currency: proposed.currency, perPayment: text("perPayment"), dailyAmount: text("dailyAmount"), dailyCount: Number(text("dailyCount")), endsAt },
      now,
    );
    // A last day after the proposed end (or the sharing's end) is the proposed one: a date picker's day, not a raise.
    const capped = proposed.endsAt && chosen.endsAt && chosen.endsAt > proposed.endsAt ? { ...chosen, endsAt: proposed.endsAt } : chosen;
    return { limits: lowerLimits(proposed, capped) };
  } catch (error) {
    if (error instanceof GatewayError) return { error: `${inPageWords(error.message)}.` };
    throw error;
  }
}

/** The service's message in the page's words (its fields as the labels name them). */
function inPageWords(message: string): string {
  return message
    .replace(/paymentLimits\.perPayment/g, "The amount per payment")
    .replace(/paymentLimits\.dailyAmount/g, "the amount in any 24 hours")
    .replace(/paymentLimits\.dailyCount/g, "The number of payments")
    .replace(/paymentLimits\.endsAt/g, "The last day")
    .replace(/^the /, "The ");
}
