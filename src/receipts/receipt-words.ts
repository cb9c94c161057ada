/**
 * A receipt in plain words, line by line: what the receipt page shows and what
 * `bankgraph verify-receipt` prints, so both say the same thing.
 */
import type { ConsentReceipt, ReceiptEvent } from "./consent-receipt.js";

/** One line of a receipt: a label and what it says. */
export interface ReceiptLine {
  label: string;
  value: string;
}

/** What each receipt records, as a heading. */
export const EVENT_WORDS: Readonly<Record<ReceiptEvent, string>> = {
  AUTHORIZED: "You agreed to share",
  RENEWED: "You renewed sharing",
  REVOKED: "Sharing stopped",
  EXPIRED: "Sharing ended on its end date",
};

const WHO: Readonly<Record<string, string>> = { USER: "you", CLIENT: "the app", SYSTEM: "Bankgraph" };

const DATE_TIME = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });
const DATE = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

/** "June 15, 2026 at 9:00 AM UTC". */
export const dateTimeWords = (iso: string) => `${DATE_TIME.format(new Date(iso))} UTC`;
const dateWords = (iso: string) => DATE.format(new Date(iso));

/** The receipt's lines, in reading order; lines that do not apply (no revocation yet) are left out. */
export function receiptLines(receipt: ConsentReceipt): ReceiptLine[] {
  const { parties } = receipt;
  const app = parties.app.legalName ? `${parties.app.displayName} (${parties.app.legalName})` : parties.app.displayName;
  const lines: ReceiptLine[] = [
    { label: "What happened", value: EVENT_WORDS[receipt.event] },
    { label: "Issued", value: dateTimeWords(receipt.issuedAt) },
    { label: "App", value: app },
    { label: "Bank", value: parties.bank.name },
    { label: "Connected through", value: `${parties.processor.name}, which lets the app read only what you agreed to` },
    { label: "Purpose", value: receipt.purpose.words },
    { label: "Data shared", value: receipt.scopes.map((s) => s.words).join("; ") },
    {
      label: "Accounts",
      value: receipt.accounts.length > 0 ? receipt.accounts.map((a) => `${a.name} ${a.masked}`).join("; ") : "Not recorded for this connection",
    },
    { label: "Transaction history", value: receipt.historyWindow.words },
    { label: "What the app will not do", value: receipt.useLimits },
  ];
  if (receipt.grantedOn) lines.push({ label: "Granted on", value: dateWords(receipt.grantedOn) });
  if (receipt.expiresOn) lines.push({ label: receipt.event === "EXPIRED" ? "Ended on" : "Ends on", value: dateWords(receipt.expiresOn) });
  if (receipt.revokedOn) lines.push({ label: "Stopped on", value: dateWords(receipt.revokedOn) });
  if (receipt.revokedBy) lines.push({ label: "Stopped by", value: WHO[receipt.revokedBy] ?? receipt.revokedBy });
  if (receipt.revocationReason) lines.push({ label: "Why", value: receipt.revocationReason });
  lines.push({
    label: "Disclosure you read",
    value: receipt.disclosureSha256 ? `SHA-256 ${receipt.disclosureSha256}` : "Not recorded (agreed outside Bankgraph's pages)",
  });
  lines.push({ label: "Receipt", value: receipt.receiptId }, { label: "Consent", value: receipt.consentId });
  return lines;
}
