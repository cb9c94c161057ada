/**
 * What the payment suites share on top of the one harness: a consent with payments:write and its
 * limits, the person's payable account, and the payment mutations over HTTP.
 */
import { randomUUID } from "node:crypto";
import { minorFromDecimal } from "../../src/domain/money.js";
import { paymentDetailsSha256 } from "../../src/payments/payment-details.js";
import { paymentAccountIds } from "../../src/schema/global-id.js";
import type { GraphQLResponse, TestGateway, TestUser } from "../support/gateway.js";

export const PAYMENT_FIELDS =
  "id status decision declineReason failureReason fromAccountId fromAccountMask institutionId payee { kind payeeId email phone } amount { amount currency } fee { amount } reference confirmationUrl confirmationExpiresAt statusHistory { status reason source }";

export interface Limits {
  perPayment: string;
  dailyAmount: string;
  dailyCount: number;
  endsAt?: string;
}

/** Requests (app) and authorizes (person) a PAYMENTS_SUPPORT consent with payments:write and these limits; returns its global ID. */
export async function grantPayments(t: TestGateway, user: TestUser, institution: string, limits: Limits): Promise<string> {
  const requested = await t.gql(
    `mutation($input: RequestConsentInput!) { requestConsent(input: $input) { id status scopes } }`,
    {
      input: {
        linkId: user.links[institution],
        scopes: ["accounts:read", "balances:read", "payments:write"],
        purpose: "PAYMENTS_SUPPORT",
        durationDays: 90,
        paymentLimits: { currency: "USD", ...limits },
      },
    },
    user.app,
  );
  if (requested.body.errors) throw new Error(JSON.stringify(requested.body.errors));
  const id = requested.body.data.requestConsent.id as string;
  const authorized = await t.gql(`mutation($id: ID!) { authorizeConsent(id: $id) { id status } }`, { id }, user.user);
  if (authorized.body.errors) throw new Error(JSON.stringify(authorized.body.errors));
  user.consents[institution] = id;
  return id;
}

/** The global ID of the person's first checking, savings or wallet account at the bank (the app's view). */
export async function payableAccount(t: TestGateway, user: TestUser, institution: string): Promise<{ id: string; available: string | null }> {
  const response = await t.gql(`{ accounts { id type institution { id } balance { available { amount } current { amount } } } }`, {}, user.app);
  const accounts = (response.body.data?.accounts ?? []) as Array<{
    id: string;
    type: string;
    institution: { id: string };
    balance: { available: { amount: string } | null; current: { amount: string } } | null;
  } | null>;
  const found = accounts.find((a) => a && a.institution.id === institution && ["CHECKING", "SAVINGS", "WALLET"].includes(a.type));
  if (!found) throw new Error(`no payable account at ${institution}: ${JSON.stringify(response.body)}`);
  return { id: found.id, available: found.balance?.available?.amount ?? found.balance?.current.amount ?? null };
}

export interface IntentInput {
  fromAccountId: string;
  payee?: Record<string, string>;
  amount?: string;
  reference?: string;
  idempotencyKey?: string;
}

/** `createPaymentIntent` as `token`. */
export function createIntent(t: TestGateway, token: string, input: IntentInput): Promise<GraphQLResponse> {
  return t.gql(
    `mutation Pay($input: CreatePaymentIntentInput!) { createPaymentIntent(input: $input) { ${PAYMENT_FIELDS} } }`,
    {
      input: {
        fromAccountId: input.fromAccountId,
        payee: input.payee ?? { payeeId: "payee-mom" },
        amount: { amount: input.amount ?? "10.00", currency: "USD" },
        reference: input.reference ?? "Dinner",
        idempotencyKey: input.idempotencyKey ?? randomUUID(),
      },
    },
    token,
  );
}

/** The app's payments for the person (ids and statuses, newest first). */
export async function listPayments(t: TestGateway, token: string): Promise<Array<{ id: string; status: string }>> {
  const response = await t.gql(`{ payments(first: 100) { nodes { id status } } }`, {}, token);
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data.payments.nodes;
}

/** A payment as the app read it: enough to say what the confirmation page shows. */
export interface ShownPayment {
  payee: { kind: string; payeeId?: string | null; email?: string | null; phone?: string | null };
  amount: { amount: string; currency: string };
  reference: string;
  fee: { amount: string } | null;
}

/** The details hash the confirmation page binds the person's passkey to: exactly what it shows. */
export function shownDetailsSha256(account: string, payment: ShownPayment): string {
  const { kind, payeeId, email, phone } = payment.payee;
  const payee =
    kind === "EMAIL"
      ? { kind: "EMAIL" as const, email: email! }
      : kind === "PHONE"
        ? { kind: "PHONE" as const, phone: phone! }
        : { kind: "REGISTERED_PAYEE" as const, payeeId: payeeId! };
  return paymentDetailsSha256({
    fromAccountId: paymentAccountIds.decode(account)!.accountId,
    payee,
    amountMinor: minorFromDecimal(payment.amount.amount, payment.amount.currency),
    currency: payment.amount.currency,
    reference: payment.reference,
    feeMinor: payment.fee ? minorFromDecimal(payment.fee.amount, payment.amount.currency) : null,
  });
}

/** One payment as the app reads it now (status, history oldest first). */
export async function readPayment(
  t: TestGateway,
  token: string,
  id: string,
): Promise<{ status: string; statusHistory: Array<{ status: string; reason: string | null; source: string }> }> {
  const response = await t.gql(`query($id: ID!) { payment(id: $id) { status statusHistory { status reason source } } }`, { id }, token);
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data.payment;
}

/** The statuses the app was told of, for one payment, oldest first (events catch-up). */
export async function toldStatuses(t: TestGateway, token: string, paymentId: string): Promise<Array<{ status: string; reason: string | null }>> {
  const response = await t.gql(
    `{ events(kinds: [PAYMENT_STATUS_CHANGED], first: 100) { nodes { paymentStatusUpdate { status reason payment { id } } } } }`,
    {},
    token,
  );
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return (response.body.data.events.nodes as Array<{ paymentStatusUpdate: { status: string; reason: string | null; payment: { id: string } } }>)
    .filter((n) => n.paymentStatusUpdate.payment.id === paymentId)
    .map((n) => ({ status: n.paymentStatusUpdate.status, reason: n.paymentStatusUpdate.reason }));
}
