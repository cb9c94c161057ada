/**
 * Mock CPU per bank call: each bank called the way the gateway calls it, through the product's
 * adapters over real HTTP, one call at a time, and the mock process's CPU (user + system) read
 * around the calls. Used by bench/mock-cost.ts (the curve over history) and scenario 7 (one point).
 */
import { createBankHttp } from "../../src/providers/bank-http.js";
import type { BankProvider, BankSession } from "../../src/providers/contract.js";
import type { ProviderModule } from "../../src/providers/provider-module.js";
import { bankSession } from "../../test/support/bank-session.js";
import { median } from "./stats.js";

/**
 * Mock CPU ms per call of `work`, after `warmUp` unmeasured calls (the first read of an account
 * generates and indexes its history): the median of `batches` batches of `calls` calls each, so
 * that one batch disturbed by the rest of the machine does not make the figure.
 */
export async function mockCpuPerCall(
  mockCpuMs: () => Promise<number>,
  work: () => Promise<unknown>,
  calls: number,
  warmUp: number,
  batches = 1,
): Promise<number> {
  return median(await mockCpuPerCallBatches(mockCpuMs, work, calls, warmUp, batches));
}

/** Mock CPU ms per call of `work` in each of `batches` batches of `calls` calls, after `warmUp` unmeasured calls. */
export async function mockCpuPerCallBatches(
  mockCpuMs: () => Promise<number>,
  work: () => Promise<unknown>,
  calls: number,
  warmUp: number,
  batches: number,
): Promise<number[]> {
  for (let i = 0; i < warmUp; i++) await work();
  const perBatch: number[] = [];
  for (let b = 0; b < batches; b++) {
    const before = await mockCpuMs();
    for (let i = 0; i < calls; i++) await work();
    // The CPU read itself is one IPC message: negligible against `calls` bank calls.
    perBatch.push(((await mockCpuMs()) - before) / calls);
  }
  return perBatch;
}

/** A bank's adapter over a plain HTTP client (no resilience policy), authorized at the bank's own pages as `customer`, and that customer's first account. */
export async function bankAsCustomer(
  module: ProviderModule,
  baseUrl: string,
  customer: string,
): Promise<{ provider: BankProvider; session: BankSession; accountId: string }> {
  const provider = module.create({
    http: createBankHttp({ institutionId: module.id, institutionName: module.name, baseUrl, timeoutMs: 60_000 }),
  });
  const session = await bankSession(module.id, baseUrl, { username: customer });
  const [account] = await provider.listAccounts(session);
  if (!account) throw new Error(`${module.id}: ${customer} has no account`);
  return { provider, session, accountId: account.id };
}
