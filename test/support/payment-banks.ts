/**
 * The three banks with payment rails (issue 16), for the payment tests: each bank's provider
 * module and rail over real HTTP against its mock, sessions from real OAuth grants (with or
 * without the bank's payment permission), whom each bank pays in a test, and the bank's raw
 * payment request so a test can speak the wire itself (missing header, reused key).
 */
import type { MockCluster } from "../../mocks/cluster.js";
import { chase } from "../../src/providers/chase/index.js";
import type { Scope } from "../../src/domain/consent.js";
import { createBankHttp } from "../../src/providers/bank-http.js";
import type { PaymentPayee, PaymentRail } from "../../src/providers/payment-rail.js";
import { paypal } from "../../src/providers/paypal/index.js";
import type { ProviderModule } from "../../src/providers/provider-module.js";
import { usBank } from "../../src/providers/us-bank/index.js";
import { bankSession, type GrantedSession } from "./bank-session.js";

/** Read scopes plus the payment scope (issue 16). */
export const WITH_PAYMENTS = ["accounts:read", "balances:read", "transactions:read", "payments:write"] as const satisfies readonly Scope[];
export const WITHOUT_PAYMENTS: Scope[] = ["accounts:read", "balances:read", "transactions:read"];

export interface PaymentBank {
  module: ProviderModule & { payments: NonNullable<ProviderModule["payments"]> };
  /** A payee of `customer` at the bank: a registered payee (their first), or bob's email at PayPal. */
  payee(rail: PaymentRail, session: GrantedSession): Promise<PaymentPayee>;
  /**
   * The bank's own POST for a payment of `amount` (a decimal string) from `accountId` to `payee`, as its wire has it,
   * and the status it answers a reused key with (its own conflict error).
   */
  raw: { path: string; header: string; conflictStatus: number; body(accountId: string, payee: PaymentPayee, amount: string): unknown };
}

const registered = async (rail: PaymentRail, session: GrantedSession): Promise<PaymentPayee> => {
  const [first] = await rail.listPayees(session);
  if (!first) throw new Error("no registered payee");
  return { kind: "REGISTERED_PAYEE", payeeId: first.payeeId };
};

const payeeId = (payee: PaymentPayee) => (payee.kind === "REGISTERED_PAYEE" ? payee.payeeId : "");

export const PAYMENT_BANKS: readonly PaymentBank[] = [
  {
    module: { ...paypal, payments: paypal.payments! },
    payee: async () => ({ kind: "EMAIL", email: "bob@example.com" }),
    raw: {
      path: "/v1/payments/payouts",
      header: "PayPal-Request-Id",
      conflictStatus: 422,
      body: (accountId, payee, amount) => ({
        sender_batch_header: { sender_batch_id: "raw" },
        funding_account_id: accountId,
        items: [{ recipient_type: "EMAIL", receiver: payee.kind === "EMAIL" ? payee.email : "", amount: { value: amount, currency: "USD" } }],
      }),
    },
  },
  {
    module: { ...chase, payments: chase.payments! },
    payee: registered,
    raw: {
      path: "/fdx/v6/payments",
      header: "idempotency-key",
      conflictStatus: 409,
      body: (accountId, payee, amount) => ({ fromAccountId: accountId, toPayeeId: payeeId(payee), amount: Number(amount) }),
    },
  },
  {
    module: { ...usBank, payments: usBank.payments! },
    payee: registered,
    raw: {
      path: "/v3/payments",
      header: "USB-Idempotency-Key",
      conflictStatus: 409,
      body: (accountId, payee, amount) => ({ FromAccountID: accountId, PayeeID: payeeId(payee), Amount: amount, CurrencyCode: "USD" }),
    },
  },
];

/** The bank's rail over real HTTP to its mock in `cluster`. */
export function railAt(cluster: MockCluster, bank: PaymentBank, timeoutMs = 5000): PaymentRail {
  const { id, name } = bank.module;
  return bank.module.payments({ http: createBankHttp({ institutionId: id, institutionName: name, baseUrl: cluster.urls[id]!, timeoutMs }) });
}

/** A grant of `username` at the bank, with or without the bank's payment permission. */
export function paymentSession(cluster: MockCluster, bank: PaymentBank, username = "alice", payments = true): Promise<GrantedSession> {
  return bankSession(bank.module.id, cluster.urls[bank.module.id]!, { username, scopes: payments ? [...WITH_PAYMENTS] : WITHOUT_PAYMENTS });
}
