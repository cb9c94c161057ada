/**
 * Money sent, on the person's pages: the dashboard's section listing every payment an app started
 * for them (amount, to whom — masked —, from which account — masked —, app, status, when), and one
 * payment's page with its status history and, while it waits for them, a Cancel button (a POST
 * form with the session's CSRF token). No script; the same layout as every page.
 */
import type { PaymentIntent, PaymentStatusChange } from "../../domain/payment.js";
import { isCancellable } from "../../payments/payment-status.js";
import { csrfField } from "../csrf.js";
import { html, type Html } from "../html.js";
import { layout } from "../page-layout.js";
import type { TimeFormats } from "../time-zone.js";
import { accountInWords, amountInWords, payeeInWords, reasonInWords, sourceInWords, STATUS_WORDS } from "./payment-wording.js";

/** Where one payment's page is. */
export const paymentPagePath = (paymentId: string) => `/connections/payments/${encodeURIComponent(paymentId)}`;

/** A table's header row. */
const columns = (...names: string[]): Html =>
  html`<thead>
    <tr>
      ${names.map((name) => html`<th scope="col">${name}</th>`)}
    </tr>
  </thead>`;

/** Names the pages show for the apps and banks a payment names. */
export interface PaymentNames {
  appName: (clientId: string) => string;
  institutionName: (institutionId: string) => string;
}

export function moneySentSection(o: { payments: readonly PaymentIntent[]; names: PaymentNames; time: TimeFormats }): Html {
  const { names, time } = o;
  return html`<section class="app" aria-labelledby="money-sent">
    <h2 id="money-sent">Money sent</h2>
    ${
      o.payments.length === 0
        ? html`<p>No app has started a payment from your accounts.</p>`
        : html`<p>Payments apps started from your accounts. Each one is sent only after you confirm it on your own device.</p>
            <table aria-labelledby="money-sent">
              ${columns("When", "Amount", "To", "From", "App", "Status")}
              <tbody>
                ${o.payments.map((p) => {
                  const bank = names.institutionName(p.institutionId);
                  return html`<tr>
                    <td><a href="${paymentPagePath(p.id)}">${time.dateTime(p.createdAt)}</a></td>
                    <td>${amountInWords(p.amountMinor, p.currency)}</td>
                    <td>${payeeInWords(p.payee, bank)}</td>
                    <td>${accountInWords(p, bank)}</td>
                    <td>${names.appName(p.clientId)}</td>
                    <td>${STATUS_WORDS[p.status]}</td>
                  </tr>`;
                })}
              </tbody>
            </table>`
    }
  </section>`;
}

export function paymentPage(o: {
  payment: PaymentIntent;
  history: readonly PaymentStatusChange[];
  names: PaymentNames;
  userId: string;
  csrfToken: string;
  time: TimeFormats;
}): Html {
  const { payment: p, time } = o;
  const bank = o.names.institutionName(p.institutionId);
  const app = o.names.appName(p.clientId);
  const title = `${amountInWords(p.amountMinor, p.currency)} to ${payeeInWords(p.payee, bank)}`;
  return layout({
    title: "A payment",
    signedInAs: o.userId,
    main: html`<p><a href="/connections">Back to your connections</a></p>
      <h1>${title}</h1>
      <dl class="summary">
        <dt>Status</dt>
        <dd>
          ${STATUS_WORDS[p.status]}${p.failureReason ? html` (${reasonInWords(p.failureReason)})` : ""}${p.declineReason ? html` (${reasonInWords(p.declineReason)})` : ""}
        </dd>
        <dt>From</dt>
        <dd>Your account ${accountInWords(p, bank)}</dd>
        <dt>Fee</dt>
        <dd>${p.feeMinor === null ? `${bank} did not say` : amountInWords(p.feeMinor, p.currency)}</dd>
        <dt>Reference</dt>
        <dd>${p.reference}</dd>
        <dt>Started by</dt>
        <dd>${app}, ${time.dateTime(p.createdAt)}</dd>
      </dl>
      ${
        isCancellable(p.status)
          ? html`<form method="post" action="${paymentPagePath(p.id)}/cancel" class="actions">
              ${csrfField(o.csrfToken)}
              <p>
                Nothing has been sent yet. To pay it, <a href="/payments/${encodeURIComponent(p.id)}/confirm">review and confirm it with your passkey</a>. If
                you do not want to pay this, cancel it: ${app} is told, and no money moves.
              </p>
              <button class="danger" type="submit">Cancel this payment</button>
            </form>`
          : ""
      }
      <h2 id="history">What happened</h2>
      <table aria-labelledby="history">
        ${columns("When", "Status", "By", "Why")}
        <tbody>
          ${o.history.map(
            (h) =>
              html`<tr>
                <td>${time.dateTime(h.at)}</td>
                <td>${STATUS_WORDS[h.status]}</td>
                <td>${sourceInWords(h.source, app, bank)}</td>
                <td>${h.reason ? reasonInWords(h.reason) : ""}</td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  });
}
