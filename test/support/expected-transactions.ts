/**
 * What the gateway must list for an account, computed from the mock bank's own data: the rows
 * the bank lists (newest first, superseded pending rows included where the bank keeps them),
 * minus every pending row whose posted row was listed before it — "a purchase is never shown twice".
 */
import type { MockBankServer } from "../../mocks/mock-bank-server.js";
import type { MockTransactionRecord } from "../../mocks/data/types.js";
import { moneyFromMinor } from "../../src/domain/money.js";

/** A transaction as the schema shows it, minus IDs: what a listing can be compared on. */
export interface ListedTransaction {
  status: "PENDING" | "POSTED";
  date: string;
  amount: { amount: string; currency: string };
}

export interface DateRange {
  from?: string;
  to?: string;
}

/** The bank's rows for the range, as the bank lists them (before the gateway's dedupe). */
export function bankRows(bank: MockBankServer, accountId: string, range: DateRange = {}): MockTransactionRecord[] {
  return bank.data.recordsOf(accountId, {
    includeSupersededPending: bank.definition.listsSupersededPending,
    from: range.from ? new Date(`${range.from}T00:00:00.000Z`) : undefined,
    to: range.to ? new Date(`${range.to}T23:59:59.999Z`) : undefined,
  });
}

/** Drops each pending row whose posted row came earlier in the listing. */
export function dedupe(rows: readonly MockTransactionRecord[]): MockTransactionRecord[] {
  const superseded = new Set<string>();
  return rows.filter((row) => {
    if (row.status === "posted" && row.pendingId) superseded.add(row.pendingId);
    return !(row.status === "pending" && superseded.has(row.id));
  });
}

/** A mock row as the gateway must show it. */
export function listed(row: MockTransactionRecord, currency = "USD"): ListedTransaction {
  return {
    status: row.status === "posted" ? "POSTED" : "PENDING",
    date: row.date.toISOString().slice(0, 10),
    amount: moneyFromMinor(row.amountMinor, currency),
  };
}
