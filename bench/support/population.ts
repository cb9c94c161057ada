/**
 * Who exists in a bench run: the mock banks' customers (every bank holds all of them) and the
 * gateway users linked to them. Shared by the mock process, every target process and the
 * scenarios, so that "the same data" is one definition.
 */
import { DEFAULT_CUSTOMERS, DEFAULT_PASSWORD } from "../../mocks/data/catalog.js";
import type { CustomerSpec } from "../../mocks/data/dataset.js";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";

/** Every registered institution, in registry order. */
export const ALL_INSTITUTIONS: readonly string[] = PROVIDER_MODULES.map((m) => m.id);

/** The bank the scale scenario grows (its multi-account inquiry is a POST, so 1000 IDs fit). */
export const SCALE_INSTITUTION = "us_bank";

/** The bank password of every mock customer. */
export const BANK_PASSWORD = DEFAULT_PASSWORD;

/** The app every bench token is for. */
export const BENCH_CLIENT = { id: "bench-app", name: "Bankgraph bench" };

/** A gateway user and the bank customer behind each of their links. */
export interface BenchUser {
  userId: string;
  /** Bank login (same username at every bank). */
  customer: string;
  institutions: readonly string[];
}

/** The points of the scale curves: accounts of one user, transactions in one account's history. */
export interface ScalePoints {
  accounts: readonly number[];
  history: readonly number[];
}

/**
 * Days of history at the mock banks. Shorter than the mocks' default (730), which once made the
 * mocks the bottleneck (they sorted a whole history per call; now a page costs O(page), see
 * bench/mock-cost.ts); kept so that reports stay comparable. The curves below set their
 * transaction counts explicitly.
 */
export const BENCH_HISTORY_DAYS = 90;

export const accountScaleCustomer = (accounts: number) => `scale-accounts-${accounts}`;
export const historyScaleCustomer = (transactions: number) => `scale-history-${transactions}`;

/** Mock customers: alice, bob, carol as usual, plus one per point of the scale curves. */
export function benchCustomers(scale: ScalePoints): CustomerSpec[] {
  return [
    ...DEFAULT_CUSTOMERS.map((c) => ({ id: c.id, name: c.name })),
    // Thin history on the many-accounts customers (~45 each): the curve is about account count.
    ...scale.accounts.map((n) => ({
      id: accountScaleCustomer(n),
      products: [{ kind: "checking" as const, name: "Scale Checking" }],
      accountCopies: n,
      transactionsPerDay: 0.5,
    })),
    ...scale.history.map((n) => ({
      id: historyScaleCustomer(n),
      products: [{ kind: "checking" as const, name: "History Checking" }],
      transactionsPerDay: n / BENCH_HISTORY_DAYS,
    })),
  ];
}

/**
 * Dashboard users: each is alice, linked at all six banks under a user and links of their own.
 * Load runs spread connections over them round robin, as real traffic would come from many
 * users: one user on 32 connections would mostly measure the upstream cache's single flight.
 */
export const MAX_DASHBOARD_USERS = 64;

export function dashboardUsers(count: number): BenchUser[] {
  if (count > MAX_DASHBOARD_USERS) throw new Error(`at most ${MAX_DASHBOARD_USERS} dashboard users`);
  return Array.from({ length: count }, (_, i) => ({ userId: `bench-dashboard-${i}`, customer: "alice", institutions: ALL_INSTITUTIONS }));
}

/** The first dashboard user, for single answers (same-data checks). */
export const DASHBOARD_USER = dashboardUsers(1)[0]!;

/** User IDs for `connections` connections over a pool of `pool` dashboard users (connection i → user i mod pool). */
export function dashboardUserIds(connections: number, pool: number): string[] {
  return dashboardUsers(Math.min(connections, pool)).map((u) => u.userId);
}

/** Fresh users for the upstream-efficiency counts (nothing cached for them yet). */
export const EFFICIENCY_USERS = {
  sequential: { userId: "bench-efficiency-1", customer: "alice", institutions: ALL_INSTITUTIONS },
  concurrent: { userId: "bench-efficiency-2", customer: "alice", institutions: ALL_INSTITUTIONS },
} satisfies Record<string, BenchUser>;

export const accountScaleUser = (accounts: number): BenchUser => ({
  userId: `bench-accounts-${accounts}`,
  customer: accountScaleCustomer(accounts),
  institutions: [SCALE_INSTITUTION],
});
export const historyScaleUser = (transactions: number): BenchUser => ({
  userId: `bench-history-${transactions}`,
  customer: historyScaleCustomer(transactions),
  institutions: [SCALE_INSTITUTION],
});

/** Everyone a gateway target seeds, with `dashboardUserCount` dashboard users. */
export function allBenchUsers(dashboardUserCount: number, scale: ScalePoints): BenchUser[] {
  return [
    ...dashboardUsers(dashboardUserCount),
    ...Object.values(EFFICIENCY_USERS),
    ...scale.accounts.map(accountScaleUser),
    ...scale.history.map(historyScaleUser),
  ];
}
