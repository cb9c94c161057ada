/**
 * ConsentView (one load, one clock reading, memoized decisions) and AccessRecorder (one record per
 * (link, scope), only for grants), in isolation.
 */
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { AccessRecorder } from "../../../src/consent/access-recorder.js";
import type { EffectiveConsent } from "../../../src/consent/consent-service.js";
import { ConsentView, DenialReason, type Decision, type Grant } from "../../../src/consent/consent-view.js";
import { consent, DAY, effective, T0 } from "./consent-fixtures.js";

const LINK = "00000000-0000-4000-8000-00000000000a";
const OTHER = "00000000-0000-4000-8000-00000000000b";

function viewOf(consents: Map<string, EffectiveConsent>, clock = new ManualClock(T0)) {
  let loads = 0;
  const view = new ConsentView(async () => {
    loads++;
    return consents;
  }, clock);
  return { view, clock, loads: () => loads };
}

describe("ConsentView", () => {
  it("loads once, however many decisions, and answers synchronously once loaded", async () => {
    const { view, loads } = viewOf(new Map([[LINK, effective(consent())]]));
    expect(view.decideNow(LINK, [["accounts:read"]])).toBeUndefined();
    await Promise.all([view.decide(LINK, [["accounts:read"]]), view.decide(OTHER, [["accounts:read"]]), view.ready()]);
    expect(loads()).toBe(1);
    expect(view.decideNow(LINK, [["accounts:read"]])).toMatchObject({ granted: true });
    expect(view.decideNow(OTHER, [["accounts:read"]])).toEqual({ granted: false, reason: DenialReason.NOT_GRANTED, decidedBy: null });
  });

  it("memoizes one decision object per (requirement, link): 10k guarded fields are 10k lookups", async () => {
    const { view } = viewOf(new Map([[LINK, effective(consent())]]));
    const requirement = [["transactions:read"]];
    const first = await view.decide(LINK, requirement);
    let same = 0;
    for (let i = 0; i < 10_000; i++) if (view.decideNow(LINK, requirement) === first) same++;
    expect(same).toBe(10_000);
    expect(view.decideNow(LINK, [["transactions:read"]])).not.toBe(first); // another field's own array: its own memo entry
  });

  it("decides every question of a request at the instant the consents were loaded", async () => {
    const c = consent({ historyDays: 30, expiresAt: new Date(T0.getTime() + 1) });
    const { view, clock } = viewOf(new Map([[LINK, effective(c)]]));
    await view.ready();
    clock.advance(2 * DAY); // past expiry and a day boundary: the request still sees one consistent picture
    const decision = view.decideNow(LINK, [["transactions:read"]]) as Grant;
    expect(decision).toMatchObject({ granted: true, window: { earliest: "2026-02-13" } });
  });

  it("a consent expired by the clock is EXPIRED even when the store still says AUTHORIZED", async () => {
    const c = consent({ expiresAt: new Date(T0.getTime() - 1) });
    const { view } = viewOf(new Map([[LINK, effective(c)]]));
    expect(await view.decide(LINK, [["accounts:read"]])).toEqual({ granted: false, reason: DenialReason.EXPIRED, decidedBy: { id: c.id, linkId: c.linkId } });
  });
});

describe("AccessRecorder", () => {
  const grant = (scopes: string[], id = "00000000-0000-4000-8000-000000000001"): Grant => ({
    granted: true,
    consent: consent({ id }),
    scopes,
    window: { earliest: null },
  });
  const meta = { userId: "user-1", clientId: "app-1", operationName: "Op", requestId: "req-1", at: T0 };
  const source = { linkId: LINK, institutionId: "chase" };

  it("records each scope of a grant once per (link, scope), whatever the number of reads or grants", () => {
    const access = new AccessRecorder();
    const one = grant(["accounts:read", "balances:read"]);
    for (let i = 0; i < 1000; i++) access.recordDecision(source, one);
    access.recordDecision(source, grant(["accounts:read"]));
    access.recordDecision({ linkId: OTHER, institutionId: "amex" }, grant(["accounts:read"]));
    expect(access.size).toBe(3);
    const records = access.drain(meta);
    expect(records.map((r) => [r.linkId, r.scope]).sort()).toEqual([
      [LINK, "accounts:read"],
      [LINK, "balances:read"],
      [OTHER, "accounts:read"],
    ]);
    expect(records[0]).toMatchObject({ ...meta, institutionId: "chase", consentId: one.consent.id, purpose: one.consent.purpose });
  });

  it("drain empties it, so a subscription's next event records afresh", () => {
    const access = new AccessRecorder();
    const one = grant(["accounts:read"]);
    access.recordDecision(source, one);
    expect(access.drain(meta)).toHaveLength(1);
    expect(access.size).toBe(0);
    access.recordDecision(source, one);
    expect(access.drain(meta)).toHaveLength(1);
  });

  it("misuse: recording a denial fails with a clear message (a denial delivered nothing)", () => {
    const denial: Decision = { granted: false, reason: DenialReason.REVOKED, decidedBy: null };
    expect(() => new AccessRecorder().recordDecision(source, denial as unknown as Grant)).toThrow(/only a granted decision can be recorded/);
  });
});
