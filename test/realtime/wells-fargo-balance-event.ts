import { randomUUID } from "node:crypto";

/**
 * A Wells Fargo balance event in its own format, as the bank would send it: dated `atMs`, by the
 * bank's clock where it is delivered among the bank's own events (a balance older than the one
 * already logged is not published: state never moves backwards).
 */
export function wellsFargoBalanceEvent(accountId: string, cents: number, eventId: string = randomUUID(), atMs = Date.now()) {
  return {
    event_id: eventId,
    event_type: "account.balance.updated",
    created_at_ms: atMs,
    data: {
      account_id: accountId,
      balance: {
        account_id: accountId,
        currency_code: "USD",
        ledger_balance_cents: cents,
        available_balance_cents: cents,
        credit_limit_cents: null,
        as_of_ms: atMs,
      },
    },
  };
}
