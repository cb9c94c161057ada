/**
 * Production mode (NODE_ENV=production) over real HTTP: only operations registered in the
 * trusted-documents manifest run (by `documentId`, `sha256:` id, Apollo's persisted-query hash,
 * or their exact text), introspection is off, validation errors carry no schema hints, and every
 * error a client sees is a code with a safe message — never a stack, a bank's raw answer or an
 * internal message. Dev mode keeps free-form queries and runs registered documents too.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { loadConfig } from "../../src/config.js";
import type { Database } from "../../src/store/database.js";
import { openPgliteTestDatabase } from "../support/databases.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { decodeGlobalId } from "../../src/schema/global-id.js";
import { postJson, send, type RawResponse } from "./http-probe.js";
import { devBankClient } from "../../src/links/bank-oauth/bank-oauth-clients.js";

const DOCS = {
  institutions: "query Institutions { institutions { id name } }",
  request: "mutation Request($input: RequestConsentInput!) { requestConsent(input: $input) { id } }",
  authorize: "mutation Authorize($id: ID!) { authorizeConsent(id: $id) { id status } }",
  dashboard: "query Dashboard { accounts { id name balance { current { amount currency } } } }",
  links: "query Links { links { id } }",
  introspect: "query Introspect { __schema { queryType { name } } }",
  typo: "query Typo { institution { id } }",
} as const;

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const ID = Object.fromEntries(Object.entries(DOCS).map(([name, doc]) => [name, sha256(doc)])) as Record<keyof typeof DOCS, string>;
/** The manifest as the SDK's codegen writes it. */
const MANIFEST = Object.fromEntries(Object.values(DOCS).map((doc) => [sha256(doc), doc]));
const INSTITUTIONS = { institutions: [{ id: "citi", name: "Citi" }] };
/** Extension keys a client may see on any error; anything else would be a leak. */
const SAFE_EXTENSIONS = new Set(["code", "validationErrorCode", "institutionId", "retryAfter", "requiredScopes", "reason", "limit", "max", "actual"]);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bankgraph-trusted-"));
  await writeFile(join(dir, "persisted-documents.json"), JSON.stringify(MANIFEST, null, 2));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const productionEnv = () => ({
  NODE_ENV: "production",
  JWT_SECRET: randomBytes(32).toString("hex"),
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  TRUSTED_DOCUMENTS: join(dir, "persisted-documents.json"),
  // Production has no dev OAuth clients: Bankgraph's registration at the (mock) bank is configured.
  BANK_OAUTH_CLIENTS: JSON.stringify({ citi: devBankClient("citi") }),
});

function expectOnlySafeErrors(r: RawResponse) {
  for (const error of r.body?.errors ?? []) {
    expect(Object.keys(error).every((key) => ["message", "locations", "path", "extensions"].includes(key))).toBe(true);
    expect(Object.keys(error.extensions ?? {}).filter((key) => !SAFE_EXTENSIONS.has(key))).toEqual([]);
    expect(error.message).not.toMatch(/\bat \S+:\d+|node_modules|\/src\/|\/work\/|Error:|SELECT|postgres|pglite|http:\/\/|127\.0\.0\.1/i);
  }
}

describe("production", () => {
  let t: TestGateway;
  let db: Database;
  let app: string;
  let user: string;
  const run = (body: unknown, token = app, headers: Record<string, string> = {}) => postJson(t.url, body, token, headers);

  beforeAll(async () => {
    db = await openPgliteTestDatabase();
    t = await startTestGateway({ db, mocks: { banks: ["citi"] }, env: productionEnv() });
    app = await t.token("prod-user");
    user = await t.token("prod-user", { scopes: ["consent:manage"] });
  });
  afterAll(async () => {
    await t?.close();
    await db?.close().catch(() => {});
  });

  it("runs a registered document by documentId", async () => {
    const r = await run({ documentId: ID.institutions });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: INSTITUTIONS });
  });

  it("accepts the sha256:-prefixed id and Apollo's persisted-query hash", async () => {
    expect((await run({ documentId: `sha256:${ID.institutions}` })).body).toEqual({ data: INSTITUTIONS });
    expect((await run({ extensions: { persistedQuery: { version: 1, sha256Hash: ID.institutions } } })).body).toEqual({ data: INSTITUTIONS });
  });

  it("runs a registered document over GET", async () => {
    const r = await send(`${t.url}?documentId=${ID.institutions}`, { headers: { authorization: `Bearer ${app}`, "apollo-require-preflight": "true" } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: INSTITUTIONS });
  });

  it("runs the exact text of a registered document", async () => {
    expect((await run({ query: DOCS.institutions })).body).toEqual({ data: INSTITUTIONS });
  });

  it("refuses free-form query text before parsing it, with TRUSTED_DOCUMENT_REQUIRED", async () => {
    t.resetBankCalls();
    for (const query of ["{ institutions { id } }", `${DOCS.dashboard} `, "{ not even graphql"]) {
      const r = await run({ query });
      // A request error under application/json: 200 (GraphQL-over-HTTP; was 400 before issue 15).
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        errors: [
          {
            message: "This server runs only registered operations: send the documentId of a trusted document",
            extensions: { code: "TRUSTED_DOCUMENT_REQUIRED" },
          },
        ],
      });
    }
    expect(t.bankCalls()["citi"]!.total).toBe(0);
  });

  it("refuses an unknown id with PERSISTED_QUERY_NOT_FOUND", async () => {
    for (const body of [{ documentId: sha256("query X { links { id } }") }, { documentId: "not-a-hash" }, { extensions: { persistedQuery: { version: 1 } } }]) {
      const r = await run(body);
      // A request error under application/json: 200 (GraphQL-over-HTTP; was 400 before issue 15).
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ errors: [{ message: "No trusted document has this id", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }] });
    }
  });

  it("does not let a client register a document (Apollo's APQ registration is off)", async () => {
    const query = "query Mine { links { id } }";
    const register = await run({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });
    // A request error under application/json: 200 (GraphQL-over-HTTP; was 400 before issue 15).
    expect(register.status).toBe(200);
    expect(register.body!.errors![0]!.extensions).toEqual({ code: "PERSISTED_QUERY_NOT_FOUND" });
    const again = await run({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });
    expect(again.body!.errors![0]!.extensions).toEqual({ code: "PERSISTED_QUERY_NOT_FOUND" });
  });

  it("refuses an id sent with text that is not its document", async () => {
    const r = await run({ documentId: ID.institutions, query: DOCS.links });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ errors: [{ message: "The query text does not match the document id", extensions: { code: "BAD_REQUEST" } }] });
  });

  it("keeps introspection off, even for a registered document", async () => {
    const r = await run({ documentId: ID.introspect });
    // A request error under application/json: 200 (GraphQL-over-HTTP; was 400 before issue 15).
    expect(r.status).toBe(200);
    expect(r.body!.errors).toHaveLength(1);
    expect(r.body!.errors![0]!.extensions).toEqual({ code: "GRAPHQL_VALIDATION_FAILED", validationErrorCode: "INTROSPECTION_DISABLED" });
    expect(r.body!.errors![0]!.message).toMatch(/^GraphQL introspection is not allowed/);
    expect(r.body!.data).toBeUndefined();
  });

  it("gives no schema hints in validation errors", async () => {
    const r = await run({ documentId: ID.typo });
    // A request error under application/json: 200 (GraphQL-over-HTTP; was 400 before issue 15).
    expect(r.status).toBe(200);
    expect(r.body!.errors!.map((e) => [e.message, e.extensions])).toEqual([
      ['Cannot query field "institution" on type "Query".', { code: "GRAPHQL_VALIDATION_FAILED" }],
    ]);
  });

  it("runs the whole consent flow by documentId, and a failing bank answers with a code and a safe message only", async () => {
    // Linked at Citi's own pages (OAuth); the gateway's links query, by documentId, names it.
    await t.linkAs({ userId: "prod-user", app, user, links: {}, consents: {} }, "citi", "alice");
    const linked = await run({ documentId: ID.links }, user);
    expect(linked.body?.errors).toBeUndefined();
    const linkId = linked.body!.data.links[0].id as string;
    const requested = await run({
      documentId: ID.request,
      variables: { input: { linkId, scopes: ["accounts:read", "balances:read"], purpose: "ACCOUNT_OVERVIEW", durationDays: 30 } },
    });
    // In production no token decides a consent, not even a user-present one: the person does, on the connect pages.
    const consentId = requested.body!.data.requestConsent.id as string;
    const refused = await run({ documentId: ID.authorize, variables: { id: consentId } }, user);
    expect(refused.status).toBe(403);
    expect(refused.body!.errors!.map((e) => [e.extensions?.["code"], e.extensions?.["reason"]])).toEqual([["FORBIDDEN", "CONSENT_DECIDED_ON_CONNECT_PAGES"]]);
    expectOnlySafeErrors(refused);
    // What the person's "Allow" on the disclosure page does (test/web/connect-journey.test.ts drives that page in Chromium); a Consent ID is [link, consent].
    const authorized = await t.gateway.services.consents.authorize(decodeGlobalId(consentId)!.parts[1]!, "prod-user");
    expect(authorized.status).toBe("AUTHORIZED");

    const healthy = await run({ documentId: ID.dashboard });
    expect(healthy.body?.errors).toBeUndefined();
    expect(healthy.body!.data.accounts.length).toBeGreaterThan(0);

    await t.mocks.bank("citi").setFaults({ malformed: true });
    try {
      const r = await run({ documentId: ID.dashboard });
      expect(r.status).toBe(200);
      expect(r.body!.errors).toEqual([
        {
          message: "Citi sent an answer the gateway could not read",
          locations: [{ line: 1, column: 19 }],
          path: ["accounts", 0],
          extensions: { code: "INSTITUTION_ERROR", institutionId: "citi" },
        },
      ]);
      expectOnlySafeErrors(r);
    } finally {
      await t.mocks.bank("citi").setFaults({ malformed: false });
    }
  });

  it("answers every refusal with safe errors only", async () => {
    const refusals = await Promise.all([
      run({ documentId: ID.authorize, variables: { id: "' OR 1=1 --" } }, user),
      run({ documentId: ID.authorize, variables: {} }, user),
      run({ documentId: ID.request, variables: { input: { linkId: "x", scopes: ["<script>"], purpose: "ADVERTISING", durationDays: 9999 } } }),
      run({ documentId: ID.institutions }, "forged.token.value"),
      run("{ not json"),
      run({ query: "{ __schema { types { name } } }" }),
    ]);
    // A missing variable and free-form text are request errors: 200 under application/json (GraphQL-over-HTTP;
    // both were 400 before issue 15). A resolver's BAD_USER_INPUT (400), a forged token (401) and a body that
    // is not JSON (400) keep their statuses. authorizeConsent is refused to every token in production (403,
    // before its argument is even read: issue 12), whatever the id.
    expect(refusals.map((r) => r.status)).toEqual([403, 200, 400, 401, 400, 200]);
    for (const r of refusals) {
      expect(r.body?.errors?.length).toBeGreaterThan(0);
      expectOnlySafeErrors(r);
    }
  });

  // Last: it breaks the store under the running gateway.
  it("masks an unexpected failure as INTERNAL_SERVER_ERROR", async () => {
    // A person this gateway has not read before: prod-user's links and consents are kept between
    // requests (issue 15), so only a first read is sure to reach the broken store.
    const stranger = await t.token("prod-user-unseen");
    await db.close();
    const r = await run({ documentId: ID.links }, stranger);
    expect(r.body).toEqual({
      errors: [{ message: "Internal server error", locations: [{ line: 1, column: 15 }], path: ["links"], extensions: { code: "INTERNAL_SERVER_ERROR" } }],
      data: null,
    });
  });
});

describe("development with a manifest", () => {
  let t: TestGateway;
  let app: string;
  beforeAll(async () => {
    t = await startTestGateway({ mocks: { banks: ["citi"] }, env: { TRUSTED_DOCUMENTS: join(dir, "persisted-documents.json") } });
    app = await t.token("dev-user");
  });
  afterAll(() => t?.close());

  it("runs free-form queries and registered documents alike", async () => {
    expect((await postJson(t.url, { query: "{ institutions { id name } }" }, app)).body).toEqual({ data: INSTITUTIONS });
    expect((await postJson(t.url, { documentId: ID.institutions }, app)).body).toEqual({ data: INSTITUTIONS });
  });

  it("runs the text of an unknown persisted-query hash (Apollo's APQ retry) without registering it", async () => {
    const query = "query Mine { institutions { id } }";
    const r = await postJson(t.url, { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }, app);
    expect(r.body).toEqual({ data: { institutions: [{ id: "citi" }] } });
    const again = await postJson(t.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }, app);
    // A request error under application/json: 200 (GraphQL-over-HTTP; was 400 before issue 15).
    expect(again.status).toBe(200);
    expect(again.body!.errors![0]!.extensions).toEqual({ code: "PERSISTED_QUERY_NOT_FOUND" });
  });

  it("keeps schema hints and introspection", async () => {
    const typo = await postJson(t.url, { documentId: ID.typo }, app);
    expect(typo.body!.errors![0]!.message).toBe('Cannot query field "institution" on type "Query". Did you mean "institutions"?');
    expect((await postJson(t.url, { documentId: ID.introspect }, app)).body).toEqual({ data: { __schema: { queryType: { name: "Query" } } } });
  });
});

describe("configuration", () => {
  // A gateway that fails to start opens nothing; the banks are only there because the harness wants them.
  let mocks: MockCluster;
  beforeAll(async () => {
    mocks = await startMockCluster({ banks: ["citi"] });
  });
  afterAll(() => mocks?.close());
  const secrets = { JWT_SECRET: "x".repeat(32), TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64") };

  it("requires a manifest in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production", ...secrets })).toThrow(
      "Invalid configuration: trusted-documents mode (default in production) needs TRUSTED_DOCUMENTS=path/to/persisted-documents.json, or TRUSTED_DOCUMENTS_ONLY=false",
    );
    expect(loadConfig({ NODE_ENV: "production", ...secrets, TRUSTED_DOCUMENTS: "d.json" }).trustedDocuments).toEqual({ path: "d.json", only: true });
    expect(loadConfig({ NODE_ENV: "production", ...secrets, TRUSTED_DOCUMENTS_ONLY: "false" }).trustedDocuments).toEqual({ path: undefined, only: false });
    expect(loadConfig({}).trustedDocuments).toEqual({ path: undefined, only: false });
  });

  it.each([
    [
      "an id that is not the hash of its document",
      { [sha256("query A { links { id } }")]: "query B { links { id } }" },
      "these ids are not the sha256 of their document",
    ],
    ["an id that is not a sha256", { abc: "query A { links { id } }" }, "must be an object of sha256 id → document"],
    ["a list instead of an object", ["query A { links { id } }"], "must be an object of sha256 id → document"],
  ])("stops the start on a manifest with %s", async (_what, manifest, message) => {
    const path = join(dir, `bad-${randomBytes(4).toString("hex")}.json`);
    await writeFile(path, JSON.stringify(manifest));
    await expect(startTestGateway({ cluster: mocks, env: { TRUSTED_DOCUMENTS: path } })).rejects.toThrow(message);
  });

  it("stops the start on a manifest that is not JSON", async () => {
    const path = join(dir, "broken.json");
    await writeFile(path, "{ nope");
    await expect(startTestGateway({ cluster: mocks, env: { TRUSTED_DOCUMENTS: path } })).rejects.toThrow(`Trusted documents: cannot read ${path} as JSON`);
  });
});
