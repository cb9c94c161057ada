/**
 * One gate: every limit-breaking request gets the same refusal over HTTP GET, HTTP POST and
 * WebSocket, because every transport runs the same request pipeline (src/server/pipeline/). Each
 * case is one subscription document that breaks exactly one rule; it is sent over all three
 * transports (`it.each` over transports × cases) and must come back with the same
 * `extensions.code` (and `limit`/`max` where there is one). Subscriptions, because WebSocket only
 * runs subscriptions: a document that passed every step there would really be executed.
 * The gateway runs with small limits so every document stays small.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSchema, parse, validate } from "graphql";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bankEvent, collect, subscribersReady, targetWebhooks, wsClient } from "../realtime/realtime-support.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { whileAccessLogIsDown } from "../support/access-log-outage.js";

const LIMITS = {
  MAX_QUERY_TOKENS: "60",
  MAX_QUERY_DEPTH: "6",
  MAX_QUERY_ALIASES: "2",
  MAX_QUERY_DIRECTIVES: "2",
  MAX_QUERY_SELECTIONS: "20",
  MAX_QUERY_COST: "100",
  RATE_LIMIT_PER_USER: "6",
  MAX_BODY_BYTES: "4000",
};

const repeat = (count: number, text: string) => Array.from({ length: count }, () => text).join(" ");

/** The published schema, to check each case's document is otherwise valid. */
const publishedSchema = buildSchema(readFileSync(new URL("../../schema.graphql", import.meta.url), "utf8"));

const CHEAP = "subscription { transactionPosted { id } }";
const REGISTERED = "subscription OnPosted { transactionPosted { id } }";
const REGISTERED_ID = createHash("sha256").update(REGISTERED).digest("hex");
/** transactionPosted 1 + account (1 + transactions (1 + 100 × (nodes 1 + id 1))) = 203. */
const COSTLY = "subscription { transactionPosted { account { transactions(first: 100) { nodes { id } } } } }";

let t: TestGateway;
/** The same gateway in trusted-only mode (production's default), sharing the mock banks. */
let trusted: TestGateway;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bankgraph-one-gate-"));
  const manifest = join(dir, "persisted-documents.json");
  await writeFile(manifest, JSON.stringify({ [REGISTERED_ID]: REGISTERED }));
  t = await startTestGateway({ mocks: { banks: ["citi"] }, env: { ...LIMITS, TRUSTED_DOCUMENTS: manifest } });
  await targetWebhooks(t.mocks.adminUrl, t.gateway);
});
// A hook of its own: each gateway start gets the whole hook timeout on a loaded machine.
beforeAll(async () => {
  trusted = await startTestGateway({
    cluster: t.mocks,
    env: { ...LIMITS, TRUSTED_DOCUMENTS: join(dir, "persisted-documents.json"), TRUSTED_DOCUMENTS_ONLY: "true" },
  });
});
afterAll(async () => {
  await trusted?.close();
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

/** What one request sends: query text and/or a trusted-document id, with a bearer token. */
interface Request {
  gateway: TestGateway;
  token: string;
  query?: string;
  /**
   * GET runs queries only: Apollo answers a subscription over GET with 405 BAD_REQUEST once it knows
   * the operation, before the cost step. So a case refused only after that (cost) sends its query twin.
   */
  queryOverGet?: string;
  documentId?: string;
}

/** The refusal as the client sees it. */
interface Refusal {
  code: unknown;
  limit?: unknown;
  max?: unknown;
}

const refusalOf = (errors: Array<{ extensions?: Record<string, unknown> }> | undefined): Refusal => {
  expect(errors).toHaveLength(1);
  const { code, limit, max } = errors![0]!.extensions ?? {};
  return { code, ...(limit === undefined ? {} : { limit }), ...(max === undefined ? {} : { max }) };
};

const TRANSPORTS: Record<"GET" | "POST" | "WebSocket", (request: Request) => Promise<Refusal>> = {
  async GET({ gateway, token, query: text, queryOverGet, documentId }) {
    const query = queryOverGet ?? text;
    const search = new URLSearchParams({ ...(query === undefined ? {} : { query }), ...(documentId === undefined ? {} : { documentId }) });
    const response = await fetch(`${gateway.url}?${search}`, { headers: { authorization: `Bearer ${token}`, "apollo-require-preflight": "true" } });
    const body = (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> };
    expect(body.data).toBeUndefined();
    return refusalOf(body.errors);
  },
  async POST({ gateway, token, query, documentId }) {
    const response = await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, documentId }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> };
    expect(body.data).toBeUndefined();
    return refusalOf(body.errors);
  },
  async WebSocket({ gateway, token, query, documentId }) {
    const client = wsClient(gateway.gateway, token);
    try {
      const ended = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: query ?? "", ...(documentId === undefined ? {} : { extensions: { documentId } }) },
          { next: (value) => resolve({ unexpected: value }), error: resolve, complete: () => resolve("complete") },
        );
      });
      // A bad token never gets a connection: graphql-ws's UNAUTHENTICATED is the close 4403 Forbidden
      // (test/realtime/protocol.test.ts), before any subscription can be refused with a code.
      if (isClose(ended)) return ended.code === 4403 && ended.reason === "Forbidden" ? { code: "UNAUTHENTICATED" } : { code: `close ${ended.code}` };
      expect(Array.isArray(ended), `a refusal, got ${JSON.stringify(ended)}`).toBe(true);
      return refusalOf(ended as Array<{ extensions?: Record<string, unknown> }>);
    } finally {
      await client.dispose();
    }
  },
};

function isClose(value: unknown): value is { code: number; reason: string } {
  return typeof value === "object" && value !== null && "code" in value && "reason" in value;
}

/** A token of a user no other test uses (the rate limit is per user). */
const freshToken = (gateway: TestGateway = t) => gateway.token(`gate-${randomUUID().slice(0, 8)}`);

interface Case {
  expected: Refusal;
  request: () => Promise<Request>;
}

const tooComplex = (limit: string, max: string) => ({ code: "QUERY_TOO_COMPLEX", limit, max: Number(max) });

const CASES: Record<string, Case> = {
  "too many tokens": {
    expected: tooComplex("TOKENS", LIMITS.MAX_QUERY_TOKENS),
    request: async () => ({ gateway: t, token: await freshToken(), query: `subscription { transactionPosted { ${repeat(61, "id")} } }` }),
  },
  "too deep": {
    expected: tooComplex("DEPTH", LIMITS.MAX_QUERY_DEPTH),
    request: async () => ({
      gateway: t,
      token: await freshToken(),
      query: "subscription { transactionPosted { account { transactions { nodes { account { institution { id } } } } } } }",
    }),
  },
  "too many aliases": {
    expected: tooComplex("ALIASES", LIMITS.MAX_QUERY_ALIASES),
    request: async () => ({ gateway: t, token: await freshToken(), query: "subscription { transactionPosted { a: id b: id c: id } }" }),
  },
  "too many directives": {
    expected: tooComplex("DIRECTIVES", LIMITS.MAX_QUERY_DIRECTIVES),
    request: async () => ({ gateway: t, token: await freshToken(), query: `subscription { transactionPosted { ${repeat(3, "id @include(if: true)")} } }` }),
  },
  "a fragment bomb over MAX_QUERY_SELECTIONS": {
    // D = 1, C = 2 + 2·1 = 4, B = 2 + 2·4 = 10, A = 2 + 2·10 = 22; the operation 2 + 22 = 24 > 20.
    expected: { code: "QUERY_TOO_COMPLEX", limit: "SELECTIONS", max: 20 },
    request: async () => ({
      gateway: t,
      token: await freshToken(),
      query:
        "subscription { transactionPosted { ...A } } fragment A on Transaction { ...B ...B } fragment B on Transaction { ...C ...C } " +
        "fragment C on Transaction { ...D ...D } fragment D on Transaction { id }",
    }),
  },
  "a document over MAX_QUERY_COST": {
    expected: tooComplex("COST", LIMITS.MAX_QUERY_COST),
    // As a query: 1 + 10 accounts × (transactions 1 + 100 × 2) = 2011.
    request: async () => ({ gateway: t, token: await freshToken(), query: COSTLY, queryOverGet: "{ accounts { transactions(first: 100) { nodes { id } } } }" }),
  },
  "an unknown trusted document id": {
    expected: { code: "PERSISTED_QUERY_NOT_FOUND" },
    request: async () => ({ gateway: trusted, token: await freshToken(trusted), documentId: `sha256:${"0".repeat(64)}` }),
  },
  "unregistered text in trusted-only mode": {
    expected: { code: "TRUSTED_DOCUMENT_REQUIRED" },
    request: async () => ({ gateway: trusted, token: await freshToken(trusted), query: "subscription { transactionPosted { id amount { amount } } }" }),
  },
  "a user over the rate limit": {
    expected: { code: "RATE_LIMITED", limit: "USER" },
    request: async () => {
      const token = await freshToken();
      for (let i = 0; i < Number(LIMITS.RATE_LIMIT_PER_USER); i++) {
        expect((await t.gql("{ __typename }", {}, token)).status).toBe(200);
      }
      return { gateway: t, token, query: CHEAP };
    },
  },
  "a bad token": {
    expected: { code: "UNAUTHENTICATED" },
    request: async () => ({ gateway: t, token: "not.a.jwt", query: CHEAP }),
  },
};

const TABLE = Object.keys(TRANSPORTS).flatMap((transport) => Object.keys(CASES).map((name) => [transport, name] as [keyof typeof TRANSPORTS, string]));

describe("the same refusal over every transport", () => {
  it.each(TABLE)("%s: %s", async (transport, name) => {
    const { expected, request } = CASES[name]!;
    expect(await TRANSPORTS[transport](await request())).toEqual(expected);
  });

  it.each(Object.keys(CASES))("%s: nothing else is wrong with its document (valid against schema.graphql)", async (name) => {
    // Guards the table: a document refused for a second reason would prove nothing about the first.
    const { query, queryOverGet } = await CASES[name]!.request();
    for (const document of [query, queryOverGet]) {
      if (document !== undefined) expect(validate(publishedSchema, parse(document)).map((e) => e.message)).toEqual([]);
    }
  });
});

describe("message size (MAX_BODY_BYTES=4000)", () => {
  it("bounds an HTTP body (413 BAD_REQUEST) and a WebSocket message (ws closes with 1009) alike", async () => {
    const token = await freshToken();
    const variables = { pad: "x".repeat(Number(LIMITS.MAX_BODY_BYTES)) };
    const response = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: CHEAP, variables }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: Array<{ extensions: unknown }> }).errors.map((e) => e.extensions)).toEqual([{ code: "BAD_REQUEST" }]);

    const client = wsClient(t.gateway, token);
    const ended = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: CHEAP, variables }, { next: (value) => resolve({ unexpected: value }), error: resolve, complete: () => resolve("complete") });
    });
    expect(isClose(ended) && ended.code).toBe(1009);
    await client.dispose();
  });
});

describe("a subscription over the cost limit", () => {
  it("is refused before any bank event reaches it, while a cheap one beside it gets the event", async () => {
    const user = await t.newUser("gate-cost", ["citi"]);
    await t.grant(user, "citi", ["accounts:read", "transactions:read"]);
    const client = wsClient(t.gateway, user.app);
    const costly = collect(client, COSTLY);
    const cheap = collect(client, CHEAP);
    await subscribersReady(t.gateway, user.userId);

    const refused = (await costly.ended) as Array<{ extensions?: Record<string, unknown> }>;
    expect(refused.map((e) => e.extensions)).toEqual([{ code: "QUERY_TOO_COMPLEX", limit: "COST", max: 100, actual: 203 }]);
    await bankEvent(t.mocks.adminUrl, "citi", { kind: "transaction_posted" });
    const delivered = await cheap.nth(1);
    expect(delivered.data?.transactionPosted.id).toEqual(expect.any(String));
    // The refused one never had a subscriber on the user's topic: only the cheap one is there.
    expect(t.gateway.services.realtime.pubsub.subscriberCount(`user:${user.userId}`)).toBe(1);
    expect(costly.results).toEqual([]);
    await client.dispose();
  });
});

describe("the access-log commit over WebSocket (no record, no data)", () => {
  it("withholds an event whose record cannot be written, and delivers the next one", async () => {
    const user = await t.newUser("gate-log", ["citi"]);
    await t.grant(user, "citi", ["accounts:read", "transactions:read"]);
    const client = wsClient(t.gateway, user.app);
    const sub = collect(client, "subscription { transactionPosted { id amount { amount } } }");
    await subscribersReady(t.gateway, user.userId);
    await whileAccessLogIsDown(t.gateway.services.db, async () => {
      await bankEvent(t.mocks.adminUrl, "citi", { kind: "transaction_posted" });
      expect(await sub.nth(1)).toEqual({
        errors: [{ message: "The read could not be recorded, so no data is returned. Try again.", extensions: { code: "INTERNAL_SERVER_ERROR" } }],
      });
    });
    await bankEvent(t.mocks.adminUrl, "citi", { kind: "transaction_posted" });
    expect((await sub.nth(2)).data?.transactionPosted.id).toEqual(expect.any(String));
    await client.dispose();
  });
});
