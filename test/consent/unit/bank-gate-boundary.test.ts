/**
 * The raw link loaders carry no consent decision, so in `src/` only the bank gate may reach them:
 * a resolver (or anything else) that opens them, or reads bank data off a link by another road,
 * fails here. Reads the source text: the rule is about what code may be written.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "../../../src");
/** Where raw loaders may be named: their own module, the links module that opens them, and the gate. */
const ALLOWED = new Set(["loaders/link-loaders.ts", "loaders/request-links.ts", "loaders/bank-gate.ts", "loaders/bank-readers.ts"]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("only the bank gate reaches the raw loaders", () => {
  const files = sources(SRC).map((path) => ({ path: relative(SRC, path).replaceAll("\\", "/"), text: readFileSync(path, "utf8") }));

  it("the scan sees the tree (not vacuous)", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.find((f) => f.path === "loaders/bank-gate.ts")?.text).toMatch(/openLinkLoaders\(/);
  });

  it("no other module names LinkLoaders or opens them", () => {
    const offenders = files.filter((f) => !ALLOWED.has(f.path) && /\bLinkLoaders\b|\bopenLinkLoaders\b/.test(f.text)).map((f) => f.path);
    expect(offenders, "read bank data through openBank(context, source, scope) in src/loaders/bank-gate.ts").toEqual([]);
  });

  it("no module but the gate calls a provider's data methods (the few system reads are named, with why)", () => {
    const dataCall = /\.(listAccounts|getBalances|listTransactions|getReceipts|listReceipts|getOwners)\(/;
    /** Reads the gateway makes for itself; nothing they return reaches an app. */
    const SYSTEM_READS = new Set([
      // Lists a link's account IDs to route bank events to the link; the event is consent-checked at delivery.
      "realtime/bank-event-router.ts",
      // After the OAuth code exchange, lists the accounts the person chose at the bank (before any consent exists) to store
      // their IDs on the link for event routing; only the IDs are kept, and account data reaches an app only through the gate.
      "links/bank-oauth/bank-oauth-service.ts",
      // Before a payment intent is approved, reads the source account's balance to decline INSUFFICIENT_FUNDS; only that
      // decision reaches the app, never the balance.
      "payments/payment-consent.ts",
    ]);
    const offenders = files
      .filter(
        (f) =>
          !ALLOWED.has(f.path) && !SYSTEM_READS.has(f.path) && !f.path.startsWith("providers/") && !f.path.startsWith("resilience/") && dataCall.test(f.text),
      )
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });
});
