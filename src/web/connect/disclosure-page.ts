/**
 * The disclosure page: one screen that says who asks (app display and legal name), through whom
 * (Bankgraph), why (one plain sentence and the limits), what (each scope from the one wording
 * table, expandable to its fields), how far back, until when, how to stop, which banks — then
 * Continue or Cancel. Sending money (payments:write) has a section of its own with the proposed
 * limits, and the Continue form lets the person lower them (src/web/connect/payment-limits-form.ts). What the person read is kept exactly (`disclosureText`), with the template
 * version and its hash, through the connect service.
 */
import type { ConnectSessionView } from "../../connect/connect-service.js";
import { csrfField } from "../csrf.js";
import { html, type Html } from "../html.js";
import { layout } from "../page-layout.js";
import { PURPOSE_WORDING, SCOPE_WORDING, USE_LIMITS } from "../../consent/consent-wording.js";
import { PAYMENTS_WRITE } from "../../domain/consent.js";
import { paymentLimitFields, paymentsDisclosure } from "./payment-limits-form.js";

/** Bump when the wording or structure of the disclosure changes: consents point at the version shown. */
export const DISCLOSURE_TEMPLATE_VERSION = "disclosure-2026-12-04";

const DATE = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

/** The end date the person agrees to: today + duration (the consent starts when they approve). */
export function accessEnds(now: Date, durationDays: number): Date {
  return new Date(now.getTime() + durationDays * 86_400_000);
}

/** How far back, said only when transactions are asked for. */
function historySentence(view: ConnectSessionView): string {
  if (!view.scopes.includes("transactions:read")) return "";
  const days = view.session.request.historyDays;
  return days ? `Transactions from the last ${days} days.` : "Transactions as far back as your bank keeps them.";
}

/** The disclosure itself (the part that is kept as text): everything the person agrees to. */
export function disclosureSection(view: ConnectSessionView, now: Date): Html {
  const { app, session } = view;
  const request = session.request;
  const ends = DATE.format(accessEnds(now, request.durationDays));
  // payments:write is never one line among the reads: it has its own section, with its limits.
  const reads = view.scopes.filter((scope) => scope !== PAYMENTS_WRITE);
  const title = view.paymentLimits ? "wants to read data from your bank accounts and send money for you" : "wants to read data from your bank accounts";
  return html`<section id="disclosure" aria-labelledby="disclosure-title">
    <h1 id="disclosure-title">${app.displayName} ${title}</h1>
    <p>
      <strong>${app.displayName}</strong> (operated by ${app.legalName}) asks to read data from the banks you choose below, through <strong>Bankgraph</strong>,
      which connects apps to banks and keeps a record of every read.
    </p>
    <h2>Why</h2>
    <p>${app.displayName} asks so that it can ${PURPOSE_WORDING[view.purpose]}. It will collect, use and keep your data only for this. ${USE_LIMITS}</p>
    <h2>What it can read</h2>
    <ul class="scopes">
      ${reads.map(
        (scope) =>
          html`<li>
            <details>
              <summary>${SCOPE_WORDING[scope].label}</summary>
              <ul>
                ${SCOPE_WORDING[scope].fields.map((f) => html`<li>${f}</li>`)}
              </ul>
            </details>
          </li>`,
      )}
    </ul>
    ${view.paymentLimits ? paymentsDisclosure(app.displayName, view.paymentLimits, accessEnds(now, request.durationDays)) : ""}
    <h2>How far back and for how long</h2>
    <p>
      ${historySentence(view)} Access ends on ${ends} (${request.durationDays} days after you approve; never more than one year). You can renew it before then.
    </p>
    <h2>How to stop sharing</h2>
    <p>Stop sharing at any time on <a href="/connections">your connections page</a>: one step, no cost. ${app.displayName} then gets nothing more.</p>
    <p class="note">You log in at your bank on the bank's own page, and choose there which accounts to share. Bankgraph never sees your bank password.</p>
  </section>`;
}

/** The text the person read: the disclosure section without markup, whitespace collapsed. */
export function disclosureText(section: Html): string {
  return section.text
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

/** The whole page: the disclosure, the bank choice, Continue and Cancel (two forms, one CSRF token). */
export function disclosurePage(options: { view: ConnectSessionView; section: Html; csrfToken: string; userId: string; error?: string; now: Date }): Html {
  const { view } = options;
  const limits = view.paymentLimits ? paymentLimitFields(view.paymentLimits, accessEnds(options.now, view.session.request.durationDays)) : "";
  const id = encodeURIComponent(view.session.id);
  const single = view.institutions.length === 1;
  return layout({
    title: `${view.app.displayName} asks to read your bank data`,
    signedInAs: options.userId,
    main: html`${options.section}
      <form method="post" action="/connect/${id}/continue">
        ${csrfField(options.csrfToken)} ${limits}
        <fieldset>
          <legend>${single ? "Your bank" : "Choose the banks to connect"}</legend>
          ${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
          ${view.institutions.map(
            (bank) => html`<label><input type="checkbox" name="institution" value="${bank.id}" ${single ? html` checked` : ""} /> ${bank.name}</label>`,
          )}
        </fieldset>
        <div class="actions"><button class="primary" type="submit">Continue to your bank</button></div>
      </form>
      <form method="post" action="/connect/${id}/cancel">
        ${csrfField(options.csrfToken)}
        <div class="actions">
          <button class="secondary" type="submit">Cancel</button><span class="note">and go back to ${view.app.displayName} without sharing anything</span>
        </div>
      </form>`,
  });
}
