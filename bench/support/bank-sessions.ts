/**
 * Bank sessions for the baselines (direct fan-out, the floor): authorized once per bank and
 * customer through the bank's own OAuth pages, then reused; a failed authorization is forgotten,
 * so the next request tries again.
 */
import type { BankSession } from "../../src/providers/contract.js";
import { bankSession } from "../../test/support/bank-session.js";

/** A session per (bank, customer), authorized on first use. */
export function bankSessions(bankUrls: Record<string, string>): (institutionId: string, customer: string) => Promise<BankSession> {
  const sessions = new Map<string, Promise<BankSession>>();
  return (institutionId, customer) => {
    const key = `${institutionId}\u0000${customer}`;
    let pending = sessions.get(key);
    if (!pending) {
      pending = bankSession(institutionId, bankUrls[institutionId]!, { username: customer });
      pending.catch(() => sessions.delete(key));
      sessions.set(key, pending);
    }
    return pending;
  };
}
