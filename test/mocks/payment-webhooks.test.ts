/**
 * Payment statuses at the mock banks over the mock clock, as the receiver of their webhooks sees
 * them (issue 16): each step a signed, numbered webhook in the bank's own format, read by the
 * bank's webhook parser into PAYMENT_STATUS_CHANGED; a settled payment a posted debit in the
 * account's history (with its transaction and balance webhooks), a failed one's hold released, a
 * returned one credited back; and the bank's faults: every status webhook twice, the PENDING one
 * late (after SETTLED).
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { defaultMockWebhookSecret } from "../../mocks/events/webhook-signing.js";
import type { BankEvent } from "../../src/domain/bank-event.js";
import type { BankPaymentStatus } from "../../src/domain/bank-payment.js";
import { moneyFromMinor } from "../../src/domain/money.js";
import type { PaymentPayee, PaymentRail } from "../../src/providers/payment-rail.js";
import { deliverySequence } from "../../src/webhooks/delivery-sequence.js";
import { verifyWebhookSignature } from "../../src/webhooks/webhook-signature.js";
import type { GrantedSession } from "../support/bank-session.js";
import { TEST_ANCHOR } from "../support/gateway.js";
import { PAYMENT_BANKS, paymentSession, railAt, type PaymentBank } from "../support/payment-banks.js";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";

let receiver: WebhookReceiver;
let cluster: MockCluster;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
  cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: PAYMENT_BANKS.map((b) => b.module.id), webhookUrl: receiver.url });
});
afterAll(async () => {
  await cluster?.close();
  await receiver?.close();
});

/** One delivery as the receiver got it: its body, its events, its number, and whether its signature holds. */
interface Delivered {
  body: unknown;
  events: BankEvent[];
  sequence: number | undefined;
  signed: boolean;
}

const FOLDER: Record<string, string> = { chase: "chase", us_bank: "us-bank", paypal: "paypal" };

/** The JSON Schema of the bank's documented payment status webhook (`webhooks.paymentStatus` in its openapi.yaml). */
async function documentedStatusBody(bankId: string) {
  const doc = parseYaml(await readFile(new URL(`../../mocks/${FOLDER[bankId]}/openapi.yaml`, import.meta.url), "utf8"));
  const schema = { ...doc.webhooks.paymentStatus.post.requestBody.content["application/json"].schema, components: doc.components };
  const ajv = new Ajv2020({ strict: false, allErrors: true, multipleOfPrecision: 6 });
  // ajv-formats is CommonJS: its plugin is the default export of the default export under NodeNext.
  const formatsPlugin = addFormatsModule as unknown as { default?: (ajv: Ajv2020) => void } & ((ajv: Ajv2020) => void);
  (formatsPlugin.default ?? formatsPlugin)(ajv);
  return ajv.compile(schema);
}

describe.each(PAYMENT_BANKS)("$module.name payment status webhooks", (bank: PaymentBank) => {
  const id = bank.module.id;
  const hooks = bank.module.webhooks!;
  const mock = () => cluster.bank(id);
  let rail: PaymentRail;
  let alice: GrantedSession;
  let payee: PaymentPayee;
  const account = () => mock().data.accountsOf("alice")[0]!;

  beforeAll(async () => {
    rail = railAt(cluster, bank);
    alice = await paymentSession(cluster, bank);
    payee = await bank.payee(rail, alice);
  });
  afterEach(async () => {
    await mock().resetFaults();
  });

  /** Every delivery this bank made so far, read as the gateway reads it. */
  const delivered = (): Delivered[] =>
    receiver.received
      .filter((r) => r.headers[hooks.signatureHeader.toLowerCase()] !== undefined)
      .map((r) => {
        const body = JSON.parse(r.body) as unknown;
        const header = (name: string) => r.headers[name.toLowerCase()] as string | undefined;
        const problem = verifyWebhookSignature({
          secret: defaultMockWebhookSecret(id),
          timestamp: header(hooks.timestampHeader),
          signature: header(hooks.signatureHeader),
          rawBody: Buffer.from(r.body),
          now: new Date(),
        });
        return { body, events: hooks.parse(body), sequence: deliverySequence(hooks.feed, body), signed: problem === null };
      });

  /** The status deliveries of one payment, in arrival order. */
  const statusesOf = (paymentId: string) =>
    delivered().flatMap((d) =>
      d.events.flatMap((e) =>
        e.kind === "PAYMENT_STATUS_CHANGED" && e.payment.bankPaymentId === paymentId
          ? [{ ...e.payment, eventId: e.eventId, accountId: e.accountId, body: d.body, sequence: d.sequence, signed: d.signed }]
          : [],
      ),
    );

  /** Sends a payment and waits until its status webhooks reach `last` (`count` of them). */
  async function pay(amountMinor: number, last: BankPaymentStatus["state"], count: number) {
    const sent = await rail.submit(alice, {
      idempotencyKey: randomUUID(),
      fromAccountId: account().id,
      payee,
      amount: moneyFromMinor(amountMinor, "USD"),
      reference: "Concert tickets",
    });
    await receiver.waitFor(() => {
      const statuses = statusesOf(sent.bankPaymentId);
      return statuses.length >= count && statuses.some((s) => s.state === last);
    });
    return { sent, statuses: statusesOf(sent.bankPaymentId) };
  }

  it("moves submitted → pending → settled over the clock, one signed, numbered webhook per step; the settled payment debits the account", async () => {
    await mock().setFaults({ paymentStepMs: 40 });
    const before = mock().data.balanceOf(account().id).currentMinor;
    const { sent, statuses } = await pay(1_250, "SETTLED", 3);
    expect(statuses.map((s) => s.state)).toEqual(["SUBMITTED", "PENDING", "SETTLED"]);
    expect(statuses.every((s) => s.signed && s.accountId === account().id)).toBe(true);
    const documented = await documentedStatusBody(id);
    for (const { body } of statuses) expect(documented(body) ? [] : documented.errors).toEqual([]);
    const sequences = statuses.map((s) => s.sequence!);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(3);
    expect((await rail.status(alice, sent.bankPaymentId)).state).toBe("SETTLED");

    const payment = mock().payments.get("alice", sent.bankPaymentId)!;
    const debit = mock()
      .data.transactionsOf(account().id)
      .find((t) => t.id === payment.transactionId)!;
    expect(debit.postedAt).not.toBeNull();
    expect(debit.amountMinor).toBe(-1_250);
    expect(mock().data.balanceOf(account().id).currentMinor).toBe(before - 1_250);
    await receiver.waitFor(() =>
      delivered().some((d) =>
        d.events.some((e) => e.kind === "TRANSACTION_POSTED" && e.accountId === account().id && e.transaction.amount.amount === "-12.50"),
      ),
    );
    expect(delivered().some((d) => d.events.some((e) => e.kind === "BALANCE_CHANGED" && e.accountId === account().id))).toBe(true);
  });

  it("a payment that fails (the bank's outcome fault) ends FAILED with the bank's reason, and its hold on the funds is released", async () => {
    await mock().setFaults({ paymentStepMs: 40, paymentOutcome: "fail" });
    const available = mock().data.balanceOf(account().id).availableMinor!;
    const { statuses } = await pay(2_000, "FAILED", 3);
    expect(statuses.map((s) => s.state)).toEqual(["SUBMITTED", "PENDING", "FAILED"]);
    expect(statuses.at(-1)!.reason).toBeTruthy();
    expect(mock().data.balanceOf(account().id).availableMinor).toBe(available);
  });

  it("a payment returned after it settled: SETTLED, then RETURNED with the reason, and the money credited back", async () => {
    await mock().setFaults({ paymentStepMs: 40, paymentOutcome: "return" });
    const before = mock().data.balanceOf(account().id).currentMinor;
    const { statuses } = await pay(3_000, "RETURNED", 4);
    expect(statuses.map((s) => s.state)).toEqual(["SUBMITTED", "PENDING", "SETTLED", "RETURNED"]);
    expect(statuses.at(-1)!.reason).toBeTruthy();
    expect(mock().data.balanceOf(account().id).currentMinor).toBe(before);
  });

  it("duplicated status webhooks: every step delivered twice, the same event under the same number, both signed", async () => {
    await mock().setFaults({ paymentStepMs: 40, paymentStatusWebhooks: "duplicated" });
    const { statuses } = await pay(500, "SETTLED", 6);
    expect(statuses.map((s) => s.state)).toEqual(["SUBMITTED", "SUBMITTED", "PENDING", "PENDING", "SETTLED", "SETTLED"]);
    for (let i = 0; i < statuses.length; i += 2) {
      expect(statuses[i + 1]!.eventId).toBe(statuses[i]!.eventId);
      expect(statuses[i + 1]!.sequence).toBe(statuses[i]!.sequence);
    }
    expect(statuses.every((s) => s.signed)).toBe(true);
  });

  it("out-of-order status webhooks (set through the admin server): SETTLED, then a late PENDING numbered after it but dated before it", async () => {
    const admin = (path: string, init?: RequestInit) => fetch(`${cluster.adminUrl}/banks/${id}${path}`, init);
    const faults = { paymentStepMs: 40, paymentStatusWebhooks: "out_of_order" };
    await admin("/faults", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(faults) });
    const { sent, statuses } = await pay(700, "PENDING", 3);
    const listed = (await (await admin("/payments?customer=alice")).json()) as Array<{ id: string; history: Array<{ status: string }> }>;
    expect(listed.find((p) => p.id === sent.bankPaymentId)!.history.map((h) => h.status)).toEqual(["submitted", "pending", "settled"]);
    expect(statuses.map((s) => s.state)).toEqual(["SUBMITTED", "SETTLED", "PENDING"]);
    const [, settled, late] = statuses;
    expect(late!.sequence!).toBeGreaterThan(settled!.sequence!);
    expect(late!.asOf.getTime()).toBeLessThan(settled!.asOf.getTime());
    expect(statuses.every((s) => s.signed)).toBe(true);
  });
});
