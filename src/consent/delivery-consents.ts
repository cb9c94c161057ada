/**
 * The consent read behind each subscription delivery (src/schema/subscriptions/deliveries.ts),
 * shared: every delivery that asks in the same event-loop turn — the many subscriptions of one
 * person to one event, and the many people one bank event concerns — is answered by ONE store
 * statement, and each (person, app) pair is read once in it. Not a cache: a delivery that asks
 * after the statement left goes into the next one, so every decision rests on a read that started
 * after its event was read from the log (never before a revocation logged ahead of the event).
 */
import DataLoader from "dataloader";
import { pairKey, type ConsentService, type EffectiveConsent } from "./consent-service.js";

interface Pair {
  userId: string;
  clientId: string;
}

export class DeliveryConsents {
  private readonly reads: DataLoader<Pair, Map<string, EffectiveConsent>>;

  constructor(consents: Pick<ConsentService, "effectiveConsentsOfPairs">) {
    this.reads = new DataLoader(
      async (pairs) => {
        const unique = [...new Map(pairs.map((p) => [pairKey(p.userId, p.clientId), p])).values()];
        const read = await consents.effectiveConsentsOfPairs(unique);
        return pairs.map((p) => read.get(pairKey(p.userId, p.clientId)) ?? new Map<string, EffectiveConsent>());
      },
      { cache: false, batchScheduleFn: (run) => setImmediate(run) },
    );
  }

  /** The consent deciding, right now, what `clientId` may have of `userId`'s link `linkId` (undefined: none). */
  async decidingFor(userId: string, clientId: string, linkId: string): Promise<EffectiveConsent | undefined> {
    return (await this.reads.load({ userId, clientId })).get(linkId);
  }
}
