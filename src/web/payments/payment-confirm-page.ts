/**
 * /payments/<id>/confirm: what the person is asked to approve, in plain words — amount, fee, to
 * whom, from which account (masked), which app asks, and until when — then one button that asks
 * their passkey. The details are rendered once, into the text and into the data attributes the
 * page script posts back, so what is signed is what is shown. Without script the page still shows
 * everything and says that confirming needs a passkey and JavaScript.
 */
import type { ConfirmationView } from "../../payments/payment-confirmation.js";
import { PaymentStatus } from "../../domain/payment.js";
import type { ShownPaymentDetails } from "../../payments/shown-details.js";
import type { RegisteredPayee } from "../../providers/payment-rail.js";
import { csrfField } from "../csrf.js";
import { html, type Html } from "../html.js";
import { layout } from "../page-layout.js";
import { PAGE_SCRIPTS } from "../page-scripts.js";
import type { TimeFormats } from "../time-zone.js";

export interface ConfirmPageOptions {
  view: ConfirmationView;
  appName: string;
  institutionName: string;
  userId: string;
  csrfToken: string;
  time: TimeFormats;
  now: Date;
}

const money = (amount: string, currency: string) => `${amount} ${currency}`;

function payeeInWords(shown: ShownPaymentDetails, payee: RegisteredPayee | null, institutionName: string): string {
  switch (shown.payeeKind) {
    case "REGISTERED_PAYEE":
      return payee
        ? `${payee.displayName} (${payee.maskedDestination}), your payee at ${institutionName}`
        : `your payee “${shown.payee}”, registered at ${institutionName}`;
    case "EMAIL":
      return `${shown.payee} (email address)`;
    case "PHONE":
      return `${shown.payee} (phone number)`;
  }
}

/** What happened to a payment that can no longer be confirmed, or where a confirmed one stands. */
const STATUS_WORDS: Record<PaymentStatus, { title: string; message: string }> = {
  REQUIRES_CONFIRMATION: { title: "Confirm this payment", message: "" },
  CONFIRMED: { title: "Payment confirmed", message: "You confirmed this payment. It is on its way to your bank." },
  SUBMITTED: { title: "Payment confirmed", message: "You confirmed this payment and your bank has received it." },
  PENDING: { title: "Payment confirmed", message: "You confirmed this payment. Your bank is processing it." },
  SETTLED: { title: "Payment sent", message: "You confirmed this payment and your bank has paid it." },
  RETURNED: { title: "Payment returned", message: "This payment was paid and later returned to your account." },
  FAILED: { title: "Payment failed", message: "You confirmed this payment but your bank refused it. No money left your account." },
  EXPIRED: {
    title: "This payment has expired",
    message: "It was not confirmed in time, so nothing was sent. Ask the app to start it again if you still want to pay.",
  },
  CANCELLED: { title: "This payment was cancelled", message: "Nothing was sent, and nothing can be done with it any more." },
  DECLINED: { title: "This payment was declined", message: "Bankgraph declined it when the app asked, so there is nothing to confirm and nothing was sent." },
};

export function confirmPaymentPage(o: ConfirmPageOptions): Html {
  const { intent, shown } = o.view;
  const status = intent.status;
  const awaiting = status === PaymentStatus.REQUIRES_CONFIRMATION;
  const words = STATUS_WORDS[status];
  const base = `/payments/${encodeURIComponent(intent.id)}/confirm`;
  const title = awaiting ? `Confirm a payment of ${money(shown.amount, shown.currency)}` : words.title;
  return layout({
    title,
    signedInAs: o.userId,
    scripts: awaiting && o.view.hasPasskey ? [PAGE_SCRIPTS.webAuthn, PAGE_SCRIPTS.passkeyPages] : [],
    main: html`<h1>${title}</h1>
      ${awaiting ? html`<p>${o.appName} asks you to send this payment. Check every line: nothing is sent unless you confirm it yourself.</p>` : html`<p role="status">${words.message}</p>`}
      <dl class="facts payment">
        <dt>Amount</dt>
        <dd>${money(shown.amount, shown.currency)}</dd>
        <dt>Fee</dt>
        <dd>${shown.fee === null ? `${o.institutionName} did not say` : money(shown.fee, shown.currency)}</dd>
        <dt>To</dt>
        <dd>${payeeInWords(shown, o.view.payee, o.institutionName)}</dd>
        <dt>From</dt>
        <dd>your ${o.institutionName} account ending in ${shown.fromAccountMask}</dd>
        <dt>Reference</dt>
        <dd>${shown.reference}</dd>
        <dt>Asked by</dt>
        <dd>${o.appName}</dd>
      </dl>
      ${awaiting ? awaitingPart(o, base) : html`<p><a href="/connections">Back to your connections</a></p>`}`,
  });
}

function awaitingPart(o: ConfirmPageOptions, base: string): Html {
  const { intent, shown } = o.view;
  const minutes = Math.max(1, Math.ceil((intent.confirmExpiresAt.getTime() - o.now.getTime()) / 60_000));
  const expiry = html`<p>
    This request expires at <strong>${o.time.dateTime(intent.confirmExpiresAt)}</strong>, in ${minutes === 1 ? "about a minute" : `${minutes} minutes`}. After
    that it can no longer be confirmed.
  </p>`;
  const confirm = o.view.hasPasskey
    ? html`<section
        id="payment-confirm"
        aria-label="Confirm with your passkey"
        data-csrf="${o.csrfToken}"
        data-options-url="${base}/options"
        data-confirm-url="${base}"
        data-next="${base}"
        data-amount="${shown.amount}"
        data-currency="${shown.currency}"
        ${shown.fee === null ? "" : html`data-fee="${shown.fee}"`}
        data-payee-kind="${shown.payeeKind}"
        data-payee="${shown.payee}"
        data-reference="${shown.reference}"
        data-from-account-mask="${shown.fromAccountMask}"
      >
        <p class="needs-script">
          Confirming a payment needs your passkey and JavaScript; this browser cannot do it here (JavaScript is off, or passkeys are not supported). Nothing is
          sent until you confirm.
        </p>
        <p><button class="primary" type="button" data-passkey hidden>Confirm and pay ${money(shown.amount, shown.currency)}</button></p>
        <p role="status" aria-live="polite"></p>
      </section>`
    : html`<p>
          To confirm a payment you need a passkey on this device (your PIN, fingerprint or face). You have none yet.
          <a class="button primary" href="/passkeys?return_to=${encodeURIComponent(base)}">Add a passkey first</a>
        </p>
        <p class="needs-script">Adding a passkey and confirming need JavaScript.</p>`;
  return html`${expiry} ${confirm}
    <form method="post" action="/payments/${encodeURIComponent(intent.id)}/decline" class="actions">
      ${csrfField(o.csrfToken)}
      <button class="secondary" type="submit">Decline this payment</button>
    </form>`;
}
