/**
 * `bankgraph token` mints dev tokens the running gateway accepts, including the user-present scope
 * (`--scope consent:manage`) that linking banks, deciding on consents and reading the access log
 * need — and refuses to run in production.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

const run = promisify(execFile);
const ROOT = new URL("../..", import.meta.url).pathname;
const BASE_ENV = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };

function token(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, ["bin/bankgraph.js", "token", ...args], { cwd: ROOT, env: { ...BASE_ENV, ...env }, timeout: 60_000 });
}

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: ["chase"] } });
});
afterAll(() => t?.close());

it("--scope consent:manage mints a user-present token; without it the token is the app's", async () => {
  const userId = `cli-${Date.now()}`;
  const [present, app] = await Promise.all([
    token(["--user", userId, "--client", "messenger-test", "--scope", "consent:manage"]),
    token(["--user", userId, "--client", "messenger-test"]),
  ]);
  const userToken = present.stdout.trim();
  const appToken = app.stdout.trim();
  expect(userToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

  const linkId = await t.linkAs({ userId, app: appToken, user: userToken, links: {}, consents: {} }, "chase", "alice");
  const unlinked = await t.gql(`mutation($id: ID!) { unlinkInstitution(linkId: $id) { status } }`, { id: linkId }, userToken);
  expect(unlinked.body).toEqual({ data: { unlinkInstitution: { status: "REVOKED" } } });
  expect((await t.gql(`{ accessLog(first: 1) { nodes { id } } }`, {}, userToken)).body).toEqual({ data: { accessLog: { nodes: [] } } });

  const refused = await t.gql(`{ accessLog(first: 1) { nodes { id } } }`, {}, appToken);
  expect(refused.body.errors?.map((e) => e.extensions?.["code"])).toEqual(["FORBIDDEN"]);
});

it("refuses to mint in production", async () => {
  const failure = await token(["--user", "u", "--client", "c", "--scope", "consent:manage"], {
    NODE_ENV: "production",
    JWT_SECRET: "a-production-secret-that-is-long-enough-123",
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
    // Otherwise production refuses to start without a trusted-documents manifest, before `token` could say no.
    TRUSTED_DOCUMENTS_ONLY: "false",
  }).then(
    () => undefined,
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  expect(failure?.code).toBe(1);
  expect(failure?.stdout).toBe("");
  expect(failure?.stderr).toContain("development only");
});
