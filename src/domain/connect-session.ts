/**
 * A connect session as data: an app asks one person, through Bankgraph's own pages, for access to
 * their banks. All flow state lives here (in the store), never in the app's or the person's browser,
 * so the URL works when opened on another device. The rules live in `src/connect/`.
 */
import type { ConsentPurpose, Scope } from "./consent.js";
import type { PaymentLimits } from "./payment.js";

/** Where a connect session stands, as the app sees it. */
export enum ConnectSessionStatus {
  /** Created by the app; nobody has opened the URL yet. */
  PENDING = "PENDING",
  /** The person opened it (signed in); disclosure, bank choice and bank authorizations are under way. */
  IN_PROGRESS = "IN_PROGRESS",
  /** The person finished: at least one bank linked, a consent per linked bank. */
  COMPLETED = "COMPLETED",
  /** The person cancelled (on Bankgraph's pages or at the bank) before any bank was linked. */
  DENIED = "DENIED",
  /** Not finished before `expiresAt`; derived from the clock on every read. */
  EXPIRED = "EXPIRED",
}

/** What the app asked for (`createConnectSession`), already validated. */
export interface ConnectRequest {
  purpose: ConsentPurpose;
  /** Canonical order, no duplicates, all allowed for the app and the purpose. */
  scopes: Scope[];
  /** The banks the person may pick from; every registered bank when the app named none. */
  institutionIds: string[];
  /** How long each consent lasts once authorized (1–365). */
  durationDays: number;
  /** How far back transactions may be read; null = what the bank offers. */
  historyDays: number | null;
  /** Exactly one of the app's registered redirect URIs. */
  redirectUri: string;
  /** The app's opaque value, handed back on the redirect. */
  state: string;
  /** With payments:write: the limits the app proposes (the person may lower them); null otherwise. */
  paymentLimits: PaymentLimits | null;
}

/** One bank of a session, once the person picked it. */
export interface ConnectBankStep {
  institutionId: string;
  /** WAITING: not begun; AT_BANK: the person was sent to the bank; LINKED / DENIED: the bank's answer. */
  status: "WAITING" | "AT_BANK" | "LINKED" | "DENIED";
  /** The BankAuthorization attempt while AT_BANK (and after). */
  attemptId: string | null;
  linkId: string | null;
  consentId: string | null;
}

/** A connect session as stored; `status` is effective at read time (EXPIRED from the clock). */
export interface ConnectSession {
  id: string;
  clientId: string;
  /** The person the app created it for (its token's `sub`); only they may open it. */
  userId: string;
  request: ConnectRequest;
  status: ConnectSessionStatus;
  createdAt: Date;
  expiresAt: Date;
  /** When the person first opened it (signed in). */
  openedAt: Date | null;
  /** The disclosure the person was shown, once recorded. */
  disclosureId: string | null;
  /** The payment limits the person chose on the disclosure page (at most what the app proposed); null until then. */
  chosenPaymentLimits: PaymentLimits | null;
  /** The banks the person picked, in the order they go through them (empty until picked). */
  banks: ConnectBankStep[];
  finishedAt: Date | null;
}

/** What the person saw on the disclosure page, kept as shown (the consent receipt points at it). */
export interface DisclosureRecord {
  id: string;
  connectSessionId: string;
  userId: string;
  clientId: string;
  /** The exact text rendered (what the person read), not a reconstruction. */
  text: string;
  templateVersion: string;
  /** Hex SHA-256 of `text` (UTF-8). */
  sha256: string;
  shownAt: Date;
}
