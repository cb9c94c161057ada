/**
 * What one mock bank is: its identity, its products, and a `mount` that puts its own wire
 * format on an express router. Everything shared (tokens, faults, call counting, the data)
 * comes in through `MockBankContext`; a bank's folder holds only what differs between banks.
 */
import type { Request, RequestHandler, Router } from "express";
import type { BankDataset, MockProduct } from "./data/dataset.js";
import type { MockCustomer } from "./data/types.js";
import type { MockEventFormat } from "./events/mock-bank-event.js";

/** Resource kinds the call counter groups upstream calls by. */
export type CallKind = "auth" | "accounts" | "balances" | "transactions" | "receipts" | "identity" | "other";

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
  /** Puts the bank's API on the router. */
  mount(router: Router, bank: MockBankContext): void;
  /** The bank's webhook format (its `events.ts`), if it sends webhooks. */
  events?: MockEventFormat;
}

export interface MockBankContext {
  readonly id: string;
  readonly data: BankDataset;
  /** A fresh access token for the customer (stateless, survives a restart of the mock). */
  issueToken(customerId: string): string;
  /** The customer a token belongs to, or undefined when it is unknown, forged or expired. */
  customerForToken(token: string): MockCustomer | undefined;
  /**
   * Middleware: counts the call under `kind` and, unless `kind` is "auth", requires a valid
   * `Authorization: Bearer <token>` (answering 401 otherwise). The customer is then available
   * through `customerOf(req)`.
   */
  guard(kind: CallKind): RequestHandler;
  customerOf(req: Request): MockCustomer;
}
