/**
 * GraphQL-over-HTTP conformance: graphql-http's `serverAudits` against the running gateway, each
 * audit a test. The audits speak as a signed-in app (a fetch wrapper adds the bearer token). No
 * audit may fail; the few that do not pass cleanly are listed below with why, and must stay
 * exactly as listed (an audit that starts passing is a reason to shorten the list).
 */
import { serverAudits } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

/** Audits that end in a warning or notice, and why that is the gateway's deliberate answer. */
const EXPECTED_NOT_OK: Record<string, { status: "warn" | "notice"; why: string }> = {
  // SHOULD: answer 200 to `Accept: application/json` on request errors. Apollo Server answers 400
  // to every request that cannot run, whatever the media type; the error body is the same.
  "572B": { status: "warn", why: "document parse failure → 400 (Apollo Server answers request errors with 400)" },
  FDE2: { status: "warn", why: "document validation failure → 400 (Apollo Server answers request errors with 400)" },
  "7B9B": { status: "warn", why: "variable coercion failure → 400 (Apollo Server 5's status400ForVariableCoercionErrors default)" },
  // MAY: plain GETs. Apollo's CSRF prevention refuses a GET that could be a browser's simple
  // request (no Content-Type: application/json and no apollo-require-preflight header); GETs from
  // real clients send one of them and run.
  "5A70": { status: "notice", why: "form-urlencoded GET without a preflight header → 400 (CSRF prevention)" },
  D6D5: { status: "notice", why: "GET with JSON variables, no preflight header → 400 (CSRF prevention)" },
  "6A70": { status: "notice", why: "GET with JSON variables, no preflight header → 400 (CSRF prevention)" },
};

let t: TestGateway;
let token = "";
beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: ["citi"] } });
  token = await t.token("audit-user");
});
afterAll(() => t?.close());

const signedIn = (input: string | URL | Request, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

const audits = serverAudits({ url: () => t.url, fetchFn: signedIn });

describe("graphql-http server audits", () => {
  it("cover the spec (the list is not empty)", () => {
    expect(audits.length).toBeGreaterThan(50);
  });

  it.each(audits.map((audit) => [`${audit.id} ${audit.name}`, audit] as const))("%s", async (_title, audit) => {
    const result = await audit.fn();
    const expected = EXPECTED_NOT_OK[audit.id]?.status ?? "ok";
    const reason = "reason" in result ? result.reason : "";
    expect({ id: result.id, status: result.status, reason }).toEqual({ id: audit.id, status: expected, reason: expected === "ok" ? "" : reason });
  });

  it("lists no expected warning for an audit that does not exist", () => {
    const ids = new Set(audits.map((a) => a.id));
    expect(Object.keys(EXPECTED_NOT_OK).filter((id) => !ids.has(id))).toEqual([]);
  });
});
