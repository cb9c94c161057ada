/**
 * The operations the bench sends, and a fingerprint of their answers so that every target can
 * be shown to return the same data before it is timed.
 */

/** What a chat app's "my money" screen asks: every account, its balance, its latest 5 transactions. */
export const DASHBOARD_QUERY = `query Dashboard {
  accounts {
    id type name mask currency
    institution { id name status }
    balance { current { amount currency } available { amount currency } asOf }
    transactions(first: 5) {
      nodes { id status date description amount { amount currency } merchant { name } pendingTransactionId }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** The first page (20) of each account's transactions, newest first. */
export const FIRST_PAGE_QUERY = `query FirstPage {
  accounts {
    id
    transactions(first: 20) {
      nodes { id status date description amount { amount currency } pendingTransactionId }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** Request body for a GraphQL operation. */
export function graphqlBody(query: string): string {
  return JSON.stringify({ query });
}

/** A served GraphQL response: JSON data and no errors. Cheap, because it runs on every response under load. */
export function isCleanGraphqlBody(body: string): boolean {
  return body.startsWith('{"data":') && !body.includes('"errors":');
}

/** Shape of an account in either the GraphQL answer or the direct baseline's answer. */
export interface AccountLike {
  name: string;
  mask: string;
  balance?: { current: { amount: string } } | null;
  transactions?: { nodes: Array<{ amount: { amount: string }; date: string }> } | null;
}

/** Account count, transaction count and sums that any two targets reading the same data agree on. */
export interface Fingerprint {
  accounts: number;
  transactions: number;
  balanceSumMinor: number;
  transactionSumMinor: number;
}

export function fingerprint(accounts: readonly AccountLike[]): Fingerprint {
  const minor = (amount: string) => Math.round(Number(amount) * 100);
  let transactions = 0;
  let transactionSumMinor = 0;
  let balanceSumMinor = 0;
  for (const account of accounts) {
    if (account.balance) balanceSumMinor += minor(account.balance.current.amount);
    for (const t of account.transactions?.nodes ?? []) {
      transactions++;
      transactionSumMinor += minor(t.amount.amount);
    }
  }
  return { accounts: accounts.length, transactions, balanceSumMinor, transactionSumMinor };
}

/** Posts `body` and returns the parsed JSON; throws on a non-2xx answer. */
export async function postJson<T>(url: string, body: string, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}
