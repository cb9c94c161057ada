/**
 * Child process entry for the intake soak (bench/realtime/intake.ts): the mock banks that send
 * the webhooks. Out of the soak's process because a bank keeps every event it makes (the
 * purchase in its data, the entry in its journal for "events since"): in the gateway's process
 * that is heap growth by design, which would hide whether the gateway's own heap is flat.
 */
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { processUsage, serveParent } from "../support/child-process.js";

/** `start`'s options. */
export interface IntakeBanksStart {
  banks: string[];
}

/** `emit`'s request: one purchase at `bank`, its webhook sent to the target and settled. */
export interface IntakeEmit {
  bank: string;
  amountMinor: number;
}

let cluster: MockCluster | undefined;

serveParent({
  async start({ banks }: IntakeBanksStart): Promise<{ urls: Record<string, string> }> {
    cluster = await startMockCluster({ banks });
    return { urls: cluster.urls };
  },
  async target(url: string) {
    cluster!.events.setWebhookTarget(url);
  },
  /** The delivery's outcome ("delivered" = the gateway answered 2xx). */
  async emit({ bank, amountMinor }: IntakeEmit): Promise<string> {
    const { delivery } = await cluster!.events.emit(bank, { kind: "transaction_posted", amountMinor }, "settled");
    return delivery.outcome;
  },
  async stop() {
    await cluster?.close();
  },
  async usage() {
    return processUsage({ gc: true });
  },
});
