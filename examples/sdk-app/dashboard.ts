/**
 * A tiny app using the generated SDK (`npm run sdk` first), as docs/sdk.md walks through: the
 * dashboard with balances, consent errors and bank errors told apart by type, then one account's
 * transactions page by page. test/sdk/sdk.test.ts type-checks it with strict `tsc` (no Node types:
 * it builds for a browser too) and runs it against the gateway.
 */
import {
  AccountTransactionsDocument,
  createBankgraphClient,
  DashboardDocument,
  isConsentError,
  isInstitutionError,
  type ConsentDenialReason,
  type DashboardQuery,
} from "../../sdk/index.js";

export interface DashboardSummary {
  balances: Array<{ institutionId: string; mask: string; amount: string; currency: string }>;
  consentErrors: Array<{ institutionId: string; requiredScopes: string[][]; reason: ConsentDenialReason; path: string }>;
  bankErrors: string[];
  secondPageIds: string[];
  firstPageIds: string[];
}

type DashboardAccount = NonNullable<DashboardQuery["accounts"][number]>;

/** Reads the dashboard through the SDK; `send: "documentId"` for a gateway in trusted-documents mode. */
export async function readDashboard(url: string, token: string, send: "document" | "documentId" = "document"): Promise<DashboardSummary> {
  const bankgraph = createBankgraphClient({ url, token, send });
  const { data, errors } = await bankgraph.request(DashboardDocument);
  if (!data) throw new Error(`Dashboard failed: ${errors.map((e) => e.message).join("; ")}`);

  const accounts: DashboardAccount[] = data.accounts.filter((a): a is DashboardAccount => a !== null);
  const balances = accounts.flatMap((account) =>
    account.balance
      ? [{ institutionId: account.institution.id, mask: account.mask, amount: account.balance.current.amount, currency: account.balance.current.currency }]
      : [],
  );
  const consentErrors = errors.filter(isConsentError).map((error) => ({
    institutionId: error.extensions.institutionId,
    requiredScopes: error.extensions.requiredScopes,
    reason: error.extensions.reason,
    path: error.path.join("."),
  }));
  const bankErrors = errors.filter(isInstitutionError).map((error) => `${error.extensions.institutionId}: ${error.extensions.code}`);

  const withTransactions = accounts.find((a) => a.transactions?.pageInfo.hasNextPage);
  if (!withTransactions) throw new Error("no account with a second page of transactions");
  const first = await bankgraph.request(AccountTransactionsDocument, { accountId: withTransactions.id, first: 3 });
  const page1 = first.data?.account?.transactions;
  const second = await bankgraph.request(AccountTransactionsDocument, { accountId: withTransactions.id, first: 3, after: page1?.pageInfo.endCursor ?? null });
  const page2 = second.data?.account?.transactions;

  return {
    balances,
    consentErrors,
    bankErrors,
    firstPageIds: page1?.edges.map((edge) => edge.node.id) ?? [],
    secondPageIds: page2?.edges.map((edge) => edge.node.id) ?? [],
  };
}
