/**
 * What one mock bank is: its identity, its products, how it asks for access (its OAuth style and
 * resource table), its look, and a `mount` that puts its own wire format on an express router.
 * Everything shared (the OAuth server, faults, call counting, the data) comes in through
 * `MockBankContext`; a bank's folder holds only what differs between banks.
 */
import type { RevocationSource } from "./oauth/revocation-log.js";
import type { Request, RequestHandler, Router } from "express";
import type { BankDataset, MockProduct } from "./data/dataset.js";
import type { MockCustomer } from "./data/types.js";
import type { MockEventFormat } from "./events/mock-bank-event.js";
import type { BankAuthorization, BankLook } from "./oauth/bank-authorization.js";
import type { BankConsents } from "./oauth/bank-consents.js";
import type { PaymentBook } from "./payments/payment-book.js";

/** Resource kinds the call counter groups upstream calls by. */
export type CallKind = "auth" | "accounts" | "balances" | "transactions" | "receipts" | "identity" | "payments" | "other";

export interface MockBankDefinition {
  /** Same ID as the gateway's provider for this bank. */
  id: string;
  name: string;
  /** What each default customer holds at this bank. */
  products: MockProduct[];
  /** Issues itemized receipts (with shipments) for online purchases. */
  receipts: boolean;
  /** Keeps the pending authorization of a posted purchase in its listings (the gateway must dedupe). */
  listsSupersededPending: boolean;
  /** Its OAuth request style and what each scope / cluster / permission opens (its `authorization.ts`). */
  authorization: BankAuthorization;
  /** Its login, consent and account pages' look. */
  look: BankLook;
  /** The body of a refused data call in the bank's own error format: 401 bad/expired/revoked token, 403 not granted. */
  refusal(status: 401 | 403): unknown;
  /** Puts the bank's API on the router. */
  mount(router: Router, bank: MockBankContext): void;
  /** The bank's webhook format (its `events.ts`), if it sends webhooks. */
  events?: MockEventFormat;
}

export interface MockBankContext {
  readonly id: string;
  /** The bank's data; inside a guarded request, narrowed to the accounts the token covers. */
  readonly data: BankDataset;
  /** The bank's record of consents (UK-style consent API reads and writes it). */
  readonly consents: BankConsents;
  /** Revokes a consent at the bank: it turns Revoked and every token issued for it stops working; recorded with how. */
  revokeConsent(consentId: string, source?: RevocationSource): void;
  /** The client authenticated by an `Authorization: Basic` header (client_secret_basic), or undefined. */
  clientForBasic(header: string | undefined): string | undefined;
  /** The client authenticated by a client-credentials token (UK-style consent API), or undefined. */
  clientForToken(token: string | undefined): Promise<string | undefined>;
  /**
   * Middleware: counts the call under `kind` and requires `Authorization: Bearer <token>` with an
   * access token of this bank's OAuth server, live and granting `kind` (401 / 403 otherwise, in
   * the bank's `refusal` format). The customer is then available through `customerOf(req)`, and
   * `data` shows only the accounts that token's consent covers.
   */
  guard(kind: CallKind): RequestHandler;
  customerOf(req: Request): MockCustomer;
  /** The bank's payments (mocks/payments/): idempotency, funds, the ledger and the status steps. */
  readonly payments: PaymentBook;
  /**
   * Whether the answer to a payment just accepted is to be swallowed (the `paymentTimeoutsAfterAccept`
   * fault): true consumes one. The route then leaves the request unanswered.
   */
  swallowPaymentAnswer(): boolean;
}
