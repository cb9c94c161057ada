/**
 * DeliveryConsents, the consent read behind each subscription delivery: every delivery asking in
 * the same event-loop turn shares ONE read, each (person, app) pair once in it; a delivery asking
 * after that read left gets a read of its own (so a decision never rests on a read that started
 * before its event was read from the log); each gets the consent of its own link, or none.
 */
import { describe, expect, it } from "vitest";
import type { EffectiveConsent } from "../../../src/consent/consent-service.js";
import { pairKey } from "../../../src/consent/consent-service.js";
import { DeliveryConsents } from "../../../src/consent/delivery-consents.js";

type Pair = { userId: string; clientId: string };

/** A consent service whose every read is recorded, answering `link-<user>` with a consent marked by the read's number. */
function recordingService() {
  const reads: Pair[][] = [];
  return {
    reads,
    service: {
      effectiveConsentsOfPairs(pairs: ReadonlyArray<Pair>) {
        reads.push([...pairs]);
        const read = reads.length;
        return Promise.resolve(
          new Map(pairs.map((p) => [pairKey(p.userId, p.clientId), new Map([[`link-${p.userId}`, { read } as unknown as EffectiveConsent]])])),
        );
      },
    },
  };
}

describe("DeliveryConsents", () => {
  it("answers every delivery deciding in the same turn with one read, each pair once", async () => {
    const { reads, service } = recordingService();
    const consents = new DeliveryConsents(service);
    const asked = [
      ...Array.from({ length: 10 }, () => consents.decidingFor("alice", "app", "link-alice")),
      ...Array.from({ length: 5 }, () => consents.decidingFor("bob", "app", "link-bob")),
      consents.decidingFor("alice", "other-app", "link-alice"),
    ];
    const answers = await Promise.all(asked);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toEqual([
      { userId: "alice", clientId: "app" },
      { userId: "bob", clientId: "app" },
      { userId: "alice", clientId: "other-app" },
    ]);
    expect(answers.every((a) => (a as unknown as { read: number }).read === 1)).toBe(true);
  });

  it("reads afresh for a delivery that asks after the shared read left, and has no consent for a link the pair has none on", async () => {
    const { reads, service } = recordingService();
    const consents = new DeliveryConsents(service);
    const first = consents.decidingFor("alice", "app", "link-alice");
    // The first read is under way (its batch left at the end of the turn) when the next delivery asks.
    await new Promise((resolve) => setImmediate(resolve));
    const second = consents.decidingFor("alice", "app", "link-alice");
    expect(((await first) as unknown as { read: number }).read).toBe(1);
    expect(((await second) as unknown as { read: number }).read).toBe(2);
    expect(await consents.decidingFor("alice", "app", "link-of-someone-else")).toBeUndefined();
    expect(reads).toHaveLength(3);
  });
});
