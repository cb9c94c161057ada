/**
 * `npm start` (bankgraph serve, in-process mock banks) tells a newcomer every address it needs —
 * gateway, subscriptions, playground, mock admin, each mock bank — in its "Bankgraph ready" line,
 * and each one answers. Its stdout is not a terminal here, so every line must be JSON (pino-pretty
 * is for terminals only).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startServe, type ServeChild } from "../support/serve-child.js";

const BANKS = ["chase", "wells_fargo", "citi", "us_bank", "paypal", "amex"];

let serve: ServeChild;
let ready: Record<string, any>;
let lines: string[];

beforeAll(async () => {
  serve = await startServe();
  ({ ready, lines } = serve);
}, 120_000);

afterAll(() => serve?.stop(), 60_000);

it("prints the gateway, subscriptions, playground, mock admin and every mock bank", () => {
  const origin = new URL(ready["url"]).origin;
  expect(ready).toMatchObject({
    url: `${origin}/graphql`,
    subscriptions: `${origin.replace(/^http/, "ws")}/graphql`,
    playground: `${origin}/playground`,
    mockAdmin: expect.stringMatching(/^http:\/\/[\w.]+:\d+$/),
  });
  expect(Object.keys(ready["mockBanks"]).sort()).toEqual([...BANKS].sort());
});

it("prints addresses that answer: the gateway, the playground, the mock admin (which lists the same banks), each bank", async () => {
  const gateway = await fetch(ready["url"], { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ __typename }"}' });
  expect(gateway.status).toBe(401);
  expect(((await gateway.json()) as any).errors[0].extensions.code).toBe("UNAUTHENTICATED");

  const playground = await fetch(ready["playground"]);
  expect(playground.status).toBe(200);
  expect(playground.headers.get("content-type")).toMatch(/^text\/html/);

  const admin = await fetch(`${ready["mockAdmin"]}/banks`);
  const listed = (await admin.json()) as Array<{ id: string; url: string }>;
  expect(Object.fromEntries(listed.map((bank) => [bank.id, bank.url]))).toEqual(ready["mockBanks"]);

  for (const url of Object.values(ready["mockBanks"] as Record<string, string>)) {
    const bank = await fetch(`${url}/no-such-path`);
    expect(bank.status).toBe(404);
    expect(await bank.json()).toEqual({ error: "not_found" });
  }
});

it("writes JSON lines when stdout is not a terminal", () => {
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
});
