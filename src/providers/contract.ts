/**
 * The one contract every bank adapter implements. Methods are batch-shaped so that the
 * per-request loaders can ask a bank for many accounts in a single upstream call.
 *
 * Adapters only translate: wire format ↔ domain model (src/domain/model.ts). They do not
 * cache, retry, check consent or know about GraphQL.
 */
import type { Account, AccountOwner, Balance, InstitutionId, Receipt, Transaction } from "../domain/model.js";

/**
 * A user's session at one bank: the access token of the bank's OAuth grant (decrypted, never
 * logged). Obtaining and refreshing it is not the adapter's concern: `src/links/bank-oauth/`.
 */
export interface BankSession {
  accessToken: string;
}

export interface TransactionPageRequest {
  accountId: string;
  /** Inclusive lower bound, YYYY-MM-DD. */
  from?: string;
  /** Inclusive upper bound, YYYY-MM-DD. */
  to?: string;
  /** The bank's own continuation token from a previous page (offset, link or opaque cursor). */
  cursor?: string | null;
  /**
   * Only for banks that page by row index (an offset or a page number, see `TransactionPage.rows`):
   * start at this index of the range's listing instead of at `cursor`. The page may begin a little
   * earlier (a page-number bank answers whole pages); `rows.start` says where it did.
   */
  offset?: number;
  /** Page size asked of the bank. */
  limit: number;
}

export interface TransactionPage {
  accountId: string;
  /** Newest first (date descending); a posted transaction always precedes the pending one it replaces. */
  items: Transaction[];
  /** Continuation token for the next page, or null at the end. Opaque to everyone but the adapter. */
  nextCursor: string | null;
  /**
   * Set only by banks that page by row index: the half-open index range [start, end) of the
   * listing this page covered, before any row the adapter left out. Such a bank's positions shift
   * when rows arrive or go, so the gateway re-anchors on the rows themselves and asks by `offset`;
   * banks whose continuation tokens are stable positions (keyset) leave it unset.
   */
  rows?: { start: number; end: number };
}

export interface ProviderCapabilities {
  receipts: boolean;
  identity: boolean;
  /**
   * Whether a pending row stays listed (at its authorization date) after the posted row that
   * replaces it is filed. Where it does not, a posting filed above a running walk of pages takes
   * its pending row with it, and the reader looks for such postings (`read-transaction-page.ts`).
   */
  keepsReplacedPending: boolean;
}

export interface BankProvider {
  readonly id: InstitutionId;
  readonly name: string;
  readonly capabilities: ProviderCapabilities;

  listAccounts(session: BankSession): Promise<Account[]>;

  /** Balances of the given accounts, in one upstream call. Unknown IDs are simply absent. */
  getBalances(session: BankSession, accountIds: readonly string[]): Promise<Balance[]>;

  /** One page per request, in request order, in as few upstream calls as the bank allows (ideally one). */
  listTransactions(session: BankSession, requests: readonly TransactionPageRequest[]): Promise<TransactionPage[]>;

  /** Receipts by the bank's receipt ID. Unknown IDs are absent. Empty when the bank has no receipts. */
  getReceipts(session: BankSession, receiptIds: readonly string[]): Promise<Receipt[]>;

  /** Recent receipts of the given accounts, newest first. */
  listReceipts(session: BankSession, accountIds: readonly string[], limit: number): Promise<Receipt[]>;

  /** Account holders' identity for the given accounts. Unknown IDs are absent. */
  getOwners(session: BankSession, accountIds: readonly string[]): Promise<AccountOwner[]>;
}
