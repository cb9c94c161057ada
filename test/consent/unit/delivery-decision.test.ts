/**
 * What a bank event needs is read from the built schema, not restated: each bank-event
 * subscription's requirement is the `@requiresScopes` of its payload type. And an event is
 * delivered only under a grant of every requirement, for a row inside the consent's window.
 */
import { getNamedType, type GraphQLObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { decideDelivery, payloadRequirements } from "../../../src/consent/delivery-decision.js";
import type { BankEvent } from "../../../src/domain/bank-event.js";
import { ConsentStatus, type Scope } from "../../../src/domain/consent.js";
import { buildGatewaySchema } from "../../../src/schema/build-schema.js";
import { eventSourceOf } from "../../../src/schema/subscriptions/resumable.js";
import { consent, effective, T0 } from "./consent-fixtures.js";

async function infoFor(fieldName: string) {
  const schema = await buildGatewaySchema();
  const parentType = schema.getSubscriptionType()!;
  return { schema, parentType, fieldName, returnType: parentType.getFields()[fieldName]!.type };
}

describe("payloadRequirements", () => {
  const BANK_SUBSCRIPTIONS = [
    ["balanceUpdated", "BalanceUpdate", [["balances:read"]]],
    ["transactionPending", "Transaction", [["transactions:read"]]],
    ["transactionPosted", "Transaction", [["transactions:read"]]],
    ["receiptUpdated", "Receipt", [["receipts:read"]]],
    ["fraudAlert", "FraudAlert", [["alerts:read"]]],
  ] as const;

  it.each(BANK_SUBSCRIPTIONS)("Subscription.%s needs what %s requires", async (field, payload, requirement) => {
    const info = await infoFor(field);
    expect(getNamedType(info.returnType).name).toBe(payload);
    expect(payloadRequirements(info)).toEqual([requirement]);
  });

  it("misuse: a payload without @requiresScopes is refused, naming the field", async () => {
    const info = await infoFor("consentExpiring");
    expect(() => payloadRequirements(info)).toThrow("Subscription.consentExpiring delivers bank events but neither it nor Consent carries @requiresScopes");
  });

  it("follows the schema: every bank-event subscription of the schema has a requirement", async () => {
    const schema = await buildGatewaySchema();
    const all = Object.values((schema.getSubscriptionType() as GraphQLObjectType).getFields());
    // Each subscription says where its events come from (bankEventDeliveries refuses an unmarked one), so none escapes the check unseen.
    for (const field of all) expect(eventSourceOf(field), `Subscription.${field.name} does not say where its events come from (@EventsFrom)`).toBeDefined();
    const fields = all.filter((f) => eventSourceOf(f) === "BANK").map((f) => f.name);
    expect(fields).toEqual(expect.arrayContaining(BANK_SUBSCRIPTIONS.map(([field]) => field)));
    for (const field of fields) expect(payloadRequirements(await infoFor(field)).length).toBeGreaterThan(0);
  });
});

describe("decideDelivery", () => {
  const money = { amount: "1.00", currency: "USD" };
  const base = { id: "e", institutionId: "paypal", accountId: "acc-1", at: T0 };
  const posted = (date: string) =>
    ({ ...base, kind: "TRANSACTION_POSTED", transaction: { id: "t", accountId: "acc-1", date, amount: money } }) as unknown as BankEvent;
  const receiptEvent = (issuedAt: string) => ({ ...base, kind: "RECEIPT_UPDATED", receipt: { id: "r", issuedAt: new Date(issuedAt) } }) as unknown as BankEvent;
  const balance = { ...base, kind: "BALANCE_CHANGED", balance: { accountId: "acc-1", current: money } } as unknown as BankEvent;
  const live = (scopes: Scope[], historyDays: number | null = null) => effective(consent({ scopes, historyDays }));

  it("grants inside the window and withholds a transaction or receipt dated before it", () => {
    const c = live(["transactions:read", "receipts:read"], 2);
    expect(decideDelivery(c, [[["transactions:read"]]], posted("2026-03-13"), T0)).toHaveLength(1);
    expect(decideDelivery(c, [[["transactions:read"]]], posted("2026-03-12"), T0)).toBeUndefined();
    expect(decideDelivery(c, [[["receipts:read"]]], receiptEvent("2026-03-13T00:00:00Z"), T0)).toHaveLength(1);
    expect(decideDelivery(c, [[["receipts:read"]]], receiptEvent("2026-03-12T23:59:59Z"), T0)).toBeUndefined();
  });

  it("an undated event (a balance) is not held to the window", () => {
    expect(decideDelivery(live(["balances:read"], 1), [[["balances:read"]]], balance, T0)).toHaveLength(1);
  });

  it("every requirement must be granted; any denial or a lapsed consent withholds", () => {
    expect(decideDelivery(live(["transactions:read"]), [[["transactions:read"]], [["receipts:read"]]], posted("2026-03-14"), T0)).toBeUndefined();
    expect(decideDelivery(effective(consent({ status: ConsentStatus.REVOKED })), [[["transactions:read"]]], posted("2026-03-14"), T0)).toBeUndefined();
    expect(decideDelivery(undefined, [[["transactions:read"]]], posted("2026-03-14"), T0)).toBeUndefined();
  });
});
