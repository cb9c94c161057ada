/**
 * Reading a delivery's sequence number where each bank puts it (`feed.sequencePath`): only a
 * positive safe integer counts; anything else means "not numbered", never a bogus gap.
 */
import { describe, expect, it } from "vitest";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";
import { deliverySequence } from "../../src/webhooks/delivery-sequence.js";

const US_BANK = { path: "/v3/events", sinceParam: "SinceSequenceNumber", listKey: "Events", sequencePath: ["EventHeader", "SequenceNumber"] } as const;

describe("deliverySequence", () => {
  it("reads the number at the bank's path, nested or not", () => {
    expect(deliverySequence(US_BANK, { EventHeader: { SequenceNumber: 42 } })).toBe(42);
    expect(deliverySequence({ ...US_BANK, sequencePath: ["sequence"] }, { sequence: 1 })).toBe(1);
  });

  it.each([
    ["absent", { EventHeader: {} }],
    ["no header object", { EventHeader: "x" }],
    ["null body", null],
    ["a string", { EventHeader: { SequenceNumber: "42" } }],
    ["zero", { EventHeader: { SequenceNumber: 0 } }],
    ["negative", { EventHeader: { SequenceNumber: -3 } }],
    ["a fraction", { EventHeader: { SequenceNumber: 1.5 } }],
    ["beyond a safe integer", { EventHeader: { SequenceNumber: 2 ** 53 } }],
    ["inherited, not its own", Object.create({ EventHeader: { SequenceNumber: 7 } }) as unknown],
  ])("is undefined when the number is %s", (_what, body) => {
    expect(deliverySequence(US_BANK, body)).toBeUndefined();
  });

  it("is undefined for a bank that does not number its deliveries", () => {
    expect(deliverySequence(undefined, { sequence: 3 })).toBeUndefined();
  });

  it("every bank that sends webhooks numbers them and has an events-since endpoint", () => {
    const withoutFeed = PROVIDER_MODULES.filter((m) => m.webhooks && !m.webhooks.feed).map((m) => m.id);
    expect(withoutFeed).toEqual([]);
  });
});
