/**
 * The app-webhook signature contract (src/apps/webhook-signature.ts, docs/apps.md): what verifies,
 * and every way a header can be wrong, stale, for another body or under another key.
 */
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhookSignature } from "../../src/apps/webhook-signature.js";
import { backoffMs } from "../../src/resilience/outbox-dispatcher.js";

const KEY = "whk_unit_0123456789abcdef0123456789abcdef";
const BODY = '{"type":"consent.revoked","consentId":"c1"}';
const NOW = 1_800_000_000;

describe("webhook signature", () => {
  it("verifies its own signature, and the docs' shape: t=<unix>,v1=<64 hex>", () => {
    const header = signWebhook(KEY, BODY, NOW);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(header, BODY, KEY, NOW)).toBe(true);
    expect(verifyWebhookSignature(`${header},v1=${"0".repeat(64)}`, BODY, KEY, NOW)).toBe(true);
  });

  it.each([
    ["no header", undefined, BODY, KEY, NOW],
    ["another body", signWebhook(KEY, BODY, NOW), BODY.replace("c1", "c2"), KEY, NOW],
    ["another key", signWebhook(KEY, BODY, NOW), BODY, `${KEY}x`, NOW],
    ["older than five minutes", signWebhook(KEY, BODY, NOW - 301), BODY, KEY, NOW],
    ["from the future", signWebhook(KEY, BODY, NOW + 301), BODY, KEY, NOW],
    ["a timestamp swapped in", signWebhook(KEY, BODY, NOW).replace(`t=${NOW}`, `t=${NOW + 1}`), BODY, KEY, NOW],
    ["no v1", `t=${NOW}`, BODY, KEY, NOW],
    ["a short v1", `t=${NOW},v1=abc`, BODY, KEY, NOW],
    ["garbage", "not a signature", BODY, KEY, NOW],
  ])("refuses %s", (_what, header, body, key, now) => {
    expect(verifyWebhookSignature(header, body, key, now)).toBe(false);
  });
});

describe("outbox backoff", () => {
  it("doubles from the base delay, is capped, and jitters within ±20 %", () => {
    const retry = { baseDelayMs: 1000, maxDelayMs: 8000 };
    expect([1, 2, 3, 4, 5, 9].map((attempts) => backoffMs(attempts, retry, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffMs(3, retry, () => 0)).toBe(3200);
    expect(backoffMs(3, retry, () => 0.999999)).toBe(4800);
  });
});
