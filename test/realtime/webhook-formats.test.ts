/**
 * The contract between each mock bank's webhook format and the gateway's translation of it, for
 * every bank and every kind of event the bank sends, over real HTTP into a capturing receiver:
 * the body matches the `webhooks:` section of the bank's openapi.yaml, it is signed in the
 * documented headers, and the gateway's `webhook.ts` for that bank reads it as the right event.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import type { MockEventKind } from "../../mocks/events/mock-bank-event.js";
import { defaultMockWebhookSecret } from "../../mocks/events/webhook-signing.js";
import type { BankEventKind } from "../../src/domain/bank-event.js";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";
import { deliverySequence } from "../../src/webhooks/delivery-sequence.js";
import { verifyWebhookSignature } from "../../src/webhooks/webhook-signature.js";
import { TEST_ANCHOR } from "../support/gateway.js";

const FOLDER: Record<string, string> = { chase: "chase", wells_fargo: "wells-fargo", citi: "citi", us_bank: "us-bank", paypal: "paypal", amex: "amex" };
const KIND: Record<MockEventKind, BankEventKind> = {
  balance_changed: "BALANCE_CHANGED",
  transaction_pending: "TRANSACTION_PENDING",
  transaction_posted: "TRANSACTION_POSTED",
  shipment_updated: "RECEIPT_UPDATED",
  fraud_alert: "FRAUD_ALERT",
};
const RECEIPT_BANKS = new Set(["paypal", "amex"]);

interface Captured {
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
}

let cluster: MockCluster;
let receiver: Server;
const captured: Captured[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      captured.push({ headers: req.headers, raw: Buffer.concat(chunks) });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  cluster = await startMockCluster({ anchor: TEST_ANCHOR, webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks` });
});
afterAll(async () => {
  await cluster?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** The JSON Schema of the bank's webhook body, from its openapi.yaml, components included. */
async function bodyValidator(bankId: string) {
  const doc = parseYaml(await readFile(new URL(`../../mocks/${FOLDER[bankId]}/openapi.yaml`, import.meta.url), "utf8"));
  const operation = doc.webhooks.bankEvent.post;
  const schema = { ...operation.requestBody.content["application/json"].schema, components: doc.components };
  // multipleOfPrecision: dollar amounts are JSON numbers, and 35988.19 / 0.01 is not an integer in floating point.
  const ajv = new Ajv2020({ strict: false, allErrors: true, multipleOfPrecision: 6 });
  // ajv-formats is CommonJS: its plugin is the default export of the default export under NodeNext.
  const formatsPlugin = addFormatsModule as unknown as { default?: (ajv: Ajv2020) => void } & ((ajv: Ajv2020) => void);
  (formatsPlugin.default ?? formatsPlugin)(ajv);
  const headers = (operation.parameters as Array<{ name: string; in: string }>).filter((p) => p.in === "header").map((p) => p.name);
  return { validate: ajv.compile(schema), headers, example: operation.requestBody.content["application/json"].example, doc };
}

const cases = Object.keys(FOLDER).flatMap((bankId) =>
  (Object.keys(KIND) as MockEventKind[]).filter((kind) => kind !== "shipment_updated" || RECEIPT_BANKS.has(bankId)).map((kind) => [bankId, kind] as const),
);

describe.each(cases)("%s %s", (bankId, kind) => {
  it("is documented, signed as documented, and translated by the gateway", async () => {
    const { validate, headers, example, doc } = await bodyValidator(bankId);
    const before = captured.length;
    const { event, delivery, sequence } = await cluster.events.emit(bankId, { kind });
    expect(delivery).toMatchObject({ status: 200, attempts: 1 });
    expect(captured).toHaveLength(before + 1);
    const { headers: sent, raw } = captured.at(-1)!;
    const body = JSON.parse(raw.toString("utf8"));

    expect(validate(body) ? [] : validate.errors).toEqual([]);
    expect(validate(example) ? [] : validate.errors).toEqual([]);

    const module = PROVIDER_MODULES.find((m) => m.id === bankId)!;
    const hooks = module.webhooks!;
    expect(headers.map((h) => h.toLowerCase()).sort()).toEqual([hooks.signatureHeader, hooks.timestampHeader].map((h) => h.toLowerCase()).sort());
    const header = (name: string) => sent[name.toLowerCase()] as string | undefined;
    expect(
      verifyWebhookSignature({
        secret: defaultMockWebhookSecret(bankId),
        timestamp: header(hooks.timestampHeader),
        signature: header(hooks.signatureHeader),
        rawBody: raw,
        now: new Date(),
      }),
    ).toBeNull();

    // Numbered where the gateway reads the number, as documented (the openapi schema above types it).
    expect(deliverySequence(hooks.feed, body)).toBe(sequence);
    expect(doc.paths[hooks.feed!.path].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      hooks.feed!.sinceParam,
      hooks.signatureHeader,
      hooks.timestampHeader,
    ]);

    const events = hooks.parse(body);
    expect(events.map((e) => [e.kind, e.accountId])).toEqual([[KIND[kind], event.accountId]]);
    expect(events[0]!.eventId.endsWith(event.id)).toBe(true);
    const parsed = events[0]!;
    if (parsed.kind === "TRANSACTION_POSTED")
      expect([parsed.transaction.id, parsed.transaction.pendingTransactionId]).toEqual([event.transactionId, event.pendingTransactionId]);
    if (parsed.kind === "TRANSACTION_PENDING") expect([parsed.transaction.id, parsed.transaction.status]).toEqual([event.transactionId, "PENDING"]);
    if (parsed.kind === "RECEIPT_UPDATED")
      expect([parsed.receipt.id, parsed.receipt.transactionId, parsed.receipt.shipment?.status]).toEqual([
        event.receiptId,
        event.transactionId,
        event.shipmentStatus?.toUpperCase(),
      ]);
    if (parsed.kind === "FRAUD_ALERT") expect([parsed.alert.id, parsed.alert.transactionId]).toEqual([event.alertId, event.transactionId]);
  });
});

it("a bank without receipts refuses a shipment event instead of sending one", async () => {
  const response = await fetch(`${cluster.adminUrl}/banks/chase/events`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ kind: "shipment_updated" }),
  });
  expect([response.status, await response.json()]).toEqual([409, { error: "chase issues no receipts" }]);
});

it("the admin endpoint refuses a malformed event request with 400", async () => {
  const response = await fetch(`${cluster.adminUrl}/banks/chase/events`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ kind: "balance_changed", password: "pass_good" }),
  });
  expect(response.status).toBe(400);
});
