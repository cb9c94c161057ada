/**
 * The receipt page of one consent: the latest signed receipt in plain words (the same lines
 * `bankgraph verify-receipt` prints), how anyone can check it, and every receipt of the consent
 * with a download link each. Server-rendered, no script.
 */
import type { ConsentReceipt } from "../../receipts/consent-receipt.js";
import { dateTimeWords, EVENT_WORDS, receiptLines } from "../../receipts/receipt-words.js";
import { html, type Html } from "../html.js";
import { layout } from "../page-layout.js";

/** One receipt of the consent, as the list shows it. */
export interface ReceiptListItem {
  receipt: ConsentReceipt;
  downloadUrl: string;
}

export interface ReceiptPageOptions {
  /** Every receipt of the consent, oldest first (at least one). */
  receipts: ReceiptListItem[];
  /** Where the gateway's public keys are: /.well-known/jwks.json on this gateway. */
  jwksUrl: string;
  userId: string;
}

export function receiptPage(options: ReceiptPageOptions): Html {
  const latest = options.receipts[options.receipts.length - 1]!;
  const { parties } = latest.receipt;
  const title = `Receipt: ${parties.app.displayName} and ${parties.bank.name}`;
  return layout({
    title,
    signedInAs: options.userId,
    main: html`<h1>${title}</h1>
      <p>Bankgraph signed this receipt when it was issued. It records what you agreed to share, with whom, and what happened since.</p>
      <h2>Latest receipt</h2>
      <dl class="receipt">
        ${receiptLines(latest.receipt).map(
          (line) =>
            html`<dt>${line.label}</dt>
              <dd>${line.value}</dd>`,
        )}
      </dl>
      <p class="actions"><a class="button primary" href="${latest.downloadUrl}" download>Download this receipt</a></p>
      <h2>How anyone can check it</h2>
      <p>
        The download is a signed file (a JWS). Anyone can check that Bankgraph signed it and that nothing in it changed, using Bankgraph's public keys at
        <a href="${options.jwksUrl}">${options.jwksUrl}</a>, for example with <code>npx bankgraph verify-receipt receipt.jws --jwks ${options.jwksUrl}</code>.
      </p>
      <h2>All receipts for this connection</h2>
      <table class="receipts">
        <caption class="note">
          Oldest first. Times in UTC.
        </caption>
        <thead>
          <tr>
            <th scope="col">Issued</th>
            <th scope="col">What happened</th>
            <th scope="col">File</th>
          </tr>
        </thead>
        <tbody>
          ${options.receipts.map(
            (item) =>
              html`<tr>
                <td>${dateTimeWords(item.receipt.issuedAt)}</td>
                <td>${EVENT_WORDS[item.receipt.event]}</td>
                <td>
                  <a href="${item.downloadUrl}" download>Download<span class="skip"> receipt of ${dateTimeWords(item.receipt.issuedAt)}</span></a>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      <p><a href="/connections">Back to your connections</a></p>`,
  });
}

/** A consent of the person that has no receipt yet (requested, never authorized). */
export function noReceiptPage(userId: string): Html {
  return layout({
    title: "No receipt yet",
    signedInAs: userId,
    main: html`<h1>No receipt yet</h1>
      <p>
        This connection was never approved, so nothing was shared and there is no receipt. A receipt is issued each time you approve, renew or stop sharing.
      </p>
      <p><a href="/connections">Back to your connections</a></p>`,
  });
}
