/**
 * The one contract every bank adapter implements. Methods are batch-shaped so that the
 * per-request loaders can ask a bank for many accounts in a single upstream call.
 *
 * Adapters only translate: wire format ↔ domain model (src/domain/model.ts). They do not
 * cache, retry, check consent or know about GraphQL.
 */
import type {
  Account,
  AccountOwner,
  Balance,
  InstitutionId,
  Receipt,
  Transaction,
} from "../domain/model.js";

/** A user's authenticated session at one bank (decrypted access token, never logged). */
export interface BankSession {
  accessToken: string;
}

export interface BankLogin {
  username: string;
  password: string;
}

export interface TransactionPageRequest {
  accountId: string;
  /** Inclusive lower bound, YYYY-MM-DD. */
  from?: string;
  /** Inclusive upper bound, YYYY-MM-DD. */
  to?: string;
  /** The bank's own continuation token from a previous page (offset, link or opaque cursor). */
  cursor?: string | null;
  /** Page size asked of the bank. */
  limit: number;
}

export interface TransactionPage {
  accountId: string;
  /** Newest first (date descending); a posted transaction always precedes the pending one it replaces. */
  items: Transaction[];
  /** Continuation token for the next page, or null at the end. Opaque to everyone but the adapter. */
  nextCursor: string | null;
}

export interface ProviderCapabilities {
  receipts: boolean;
  identity: boolean;
}

export interface BankProvider {
  readonly id: InstitutionId;
  readonly name: string;
  readonly capabilities: ProviderCapabilities;

  /** Exchanges the user's bank login for the bank's access token (OAuth-style). */
  authenticate(login: BankLogin): Promise<BankSession>;

  listAccounts(session: BankSession): Promise<Account[]>;

  /** Balances of the given accounts, in one upstream call. Unknown IDs are simply absent. */
  getBalances(session: BankSession, accountIds: readonly string[]): Promise<Balance[]>;

  /** One page per request, in request order, in as few upstream calls as the bank allows (ideally one). */
  listTransactions(
    session: BankSession,
    requests: readonly TransactionPageRequest[],
  ): Promise<TransactionPage[]>;

  /** Receipts by the bank's receipt ID. Unknown IDs are absent. Empty when the bank has no receipts. */
  getReceipts(session: BankSession, receiptIds: readonly string[]): Promise<Receipt[]>;

  /** Recent receipts of the given accounts, newest first. */
  listReceipts(session: BankSession, accountIds: readonly string[], limit: number): Promise<Receipt[]>;

  /** Account holders' identity for the given accounts. Unknown IDs are absent. */
  getOwners(session: BankSession, accountIds: readonly string[]): Promise<AccountOwner[]>;
}
