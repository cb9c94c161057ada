/**
 * Shared fixtures for the end-to-end suites: the dashboard query the issue talks about (every
 * account with its balance and last 10 transactions, receipts included) and a user linked to all
 * six banks with full consents for the test app.
 */
import { MOCK_BANKS } from "../../mocks/registry.js";
import type { TestGateway, TestUser } from "./gateway.js";

/** Every bank, in registry order. */
export const BANK_IDS = MOCK_BANKS.map((b) => b.id);

/** Banks that keep a posted purchase's pending authorization in their listings. */
export const BANKS_KEEPING_PENDING = MOCK_BANKS.filter((b) => b.listsSupersededPending).map((b) => b.id);

/** Banks that issue itemized receipts. */
export const BANKS_WITH_RECEIPTS = MOCK_BANKS.filter((b) => b.receipts).map((b) => b.id);

export const FULL_SCOPES = ["accounts:read", "balances:read", "transactions:read", "receipts:read"];

/** Gateway env for suites that count or fault bank calls: no upstream cache, so every read reaches the bank. */
export const UNCACHED_ENV = { UPSTREAM_CACHE_TTL_MS: "0" };

/**
 * A bank timeout no healthy mock misses even on a loaded machine (a mock generates an account's
 * two years of history on first read). The timeout itself is tested with a short one.
 */
export const PATIENT_ENV = { BANK_TIMEOUT_MS: "15000" };

const MONEY = "{ amount currency }";

export const DASHBOARD_QUERY = /* GraphQL */ `
  query Dashboard {
    accounts {
      id
      type
      name
      mask
      currency
      institution { id name status }
      balance { current ${MONEY} available ${MONEY} limit ${MONEY} asOf }
      transactions(first: 10) {
        nodes {
          id
          status
          date
          description
          amount ${MONEY}
          pendingTransactionId
          receipt {
            id
            merchantName
            subtotal ${MONEY}
            tax ${MONEY}
            total ${MONEY}
            items { description quantity sku unitPrice ${MONEY} total ${MONEY} }
            shipment { carrier status trackingNumber }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

export interface DashboardAccount {
  id: string;
  name: string;
  mask: string;
  institution: { id: string; name: string; status: string };
  balance: { current: { amount: string; currency: string } } | null;
  transactions: {
    nodes: Array<{ id: string; status: "PENDING" | "POSTED"; date: string; amount: { amount: string; currency: string }; receipt: { id: string } | null }>;
  } | null;
}

/** A fresh user (logging in as the mock customer alice) linked at `banks` with full consents. */
export async function linkedUser(t: TestGateway, prefix: string, banks: readonly string[] = BANK_IDS): Promise<TestUser> {
  const user = await t.newUser(prefix, [...banks]);
  for (const bank of banks) await t.grant(user, bank, FULL_SCOPES);
  return user;
}
