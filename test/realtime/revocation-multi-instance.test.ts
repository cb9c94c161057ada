/**
 * Stopping is complete on EVERY instance: two gateway processes sharing real PostgreSQL (one
 * schema) and real Redis — A in this test process, B `bankgraph serve` in a child process — with
 * the upstream cache on. A consent revoked on A is refused on B at the app's next request and its
 * open subscription on B gets no further bank event; the link's cached bank data on B is
 * forgotten (another app's next read on B goes to the bank again); and while both instances work
 * the same webhook outbox, every webhook is claimed and sent once (its attempts counted in the
 * store equal the POSTs the app received).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { ConsentPurpose, SCOPES } from "../../src/domain/consent.js";
import { AppWebhookDeliveryRepository } from "../../src/store/app-webhook-delivery-repository.js";
import type { Database } from "../../src/store/database.js";
import { migrate } from "../../src/store/migrate.js";
import { openPostgres } from "../../src/store/postgres.js";
import { startChildGateway, stopChildGateway, type ChildGateway } from "../support/child-gateway.js";
import { testDatabaseUrl } from "../support/databases.js";
import { startTestGateway, TEST_ANCHOR, type GraphQLResponse, type TestGateway } from "../support/gateway.js";
import { startWebhookReceiver, until, type WebhookReceiver } from "../support/webhook-receiver.js";
import { dataOf, decide, grantFor } from "../consent/consent-harness.js";
import { bankEvent, collect, eventsPublished, targetWebhooks, type Collected } from "./realtime-support.js";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const READ = `{ accounts { id balance { current { amount } } } }`;
const OTHER = "other-app";
const HOOK_KEY = "whk_multi_0123456789abcdef0123456789abcdef";
const HOOKED_APPS = ["hooked-1", "hooked-2", "hooked-3", "hooked-4", "hooked-5", "hooked-6"];
const TEST_TIMEOUT_MS = 180_000;

let cluster: MockCluster;
let db: Database;
let schema: string;
let a: TestGateway;
let b: ChildGateway;
let receiver: WebhookReceiver;

/** GraphQL over HTTP to instance B. */
async function gqlOnB(query: string, variables: Record<string, unknown>, token: string): Promise<GraphQLResponse> {
  const response = await fetch(`http://127.0.0.1:${b.port}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse["body"] };
}

/** The sequence number of a subscription result's event (its cursor is base64url `ev1:<seq>`). */
function seqOf(result: { extensions?: unknown }): number {
  const cursor = (result.extensions as { event?: { cursor?: string } } | undefined)?.event?.cursor ?? "";
  return Number(Buffer.from(cursor, "base64url").toString("utf8").split(":")[1]);
}

/** Waits until each subscription's latest result is the person's newest logged event. */
async function caughtUp(userId: string, ...subscriptions: Array<Collected>): Promise<void> {
  const [head] = await db.query<{ seq: number }>(`SELECT seq FROM event_heads WHERE user_id = $1`, [userId]);
  for (const sub of subscriptions) {
    await until(`a subscription reaching event ${head!.seq}`, () => sub.results.length > 0 && seqOf(sub.results.at(-1)!) === Number(head!.seq));
  }
}

const chaseCalls = () => cluster.banks.get("chase")!.callCounts().total;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: ["chase"] });
  schema = `bankgraph_stop_${randomBytes(5).toString("hex")}`;
  db = await openPostgres(testDatabaseUrl, { schema, max: 4, applicationName: "bankgraph-test-a" });
  await migrate(db);
  const env = {
    REDIS_URL,
    UPSTREAM_CACHE_TTL_MS: "600000",
    REVOCATION_OUTBOX_POLL_MS: "50",
    REVOCATION_OUTBOX_BASE_DELAY_MS: "20",
    REVOCATION_OUTBOX_MAX_DELAY_MS: "100",
  };
  a = await startTestGateway({ cluster, db, env });
  const url = new URL(testDatabaseUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  b = await startChildGateway({
    ...env,
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: url.toString(),
    BANK_URLS: JSON.stringify(cluster.urls),
    DEMO_DATA: "false",
    LOG_LEVEL: "info",
  });
  await targetWebhooks(cluster.adminUrl, a.gateway);
  await a.registerApp(OTHER);
  for (const id of HOOKED_APPS) {
    await a.gateway.services.apps.register({
      id,
      displayName: id,
      legalName: `${id} Ltd.`,
      allowedPurposes: Object.values(ConsentPurpose),
      allowedScopes: [...SCOPES],
      redirectUris: [`https://${id}.test/cb`],
      webhookUrl: receiver.url,
      webhookKey: HOOK_KEY,
    });
  }
}, 180_000);

afterAll(async () => {
  await stopChildGateway(b);
  await a?.close();
  await cluster?.close();
  await receiver?.close();
  try {
    await db?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await db?.close();
  }
});

describe("a revocation on one instance holds on every instance", () => {
  it(
    "revoked on A: the app's next read on B is refused, its subscription on B gets no further event, and B forgets the link's cached data",
    async () => {
      const user = await a.newUser("stop-b", ["chase"]);
      const consentId = await a.grant(user, "chase", ["accounts:read", "balances:read"]);
      await grantFor(a, user, "chase", ["accounts:read", "balances:read"], OTHER);
      const other = await a.token(user.userId, { client: OTHER });

      // Both apps read on B; B caches the link's answers (the second read of the other app costs the bank nothing).
      expect(dataOf(await gqlOnB(READ, {}, user.app), "app on B").accounts.length).toBeGreaterThan(0);
      expect(dataOf(await gqlOnB(READ, {}, other), "other app on B").accounts.length).toBeGreaterThan(0);
      const cached = chaseCalls();
      expect(dataOf(await gqlOnB(READ, {}, other), "other app on B again").accounts.length).toBeGreaterThan(0);
      expect(chaseCalls()).toBe(cached);

      const subscribe = (token: string) => {
        const client = createClient({
          url: `ws://127.0.0.1:${b.port}/graphql`,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${token}` },
          retryAttempts: 0,
        });
        return { client, balances: collect(client, "subscription { balanceUpdated { balance { current { amount } } } }") };
      };
      const appOnB = subscribe(user.app);
      const revokedSub = collect(appOnB.client, "subscription { consentRevoked { id status } }");
      const otherOnB = subscribe(other);
      await until("B's subscribers in place", async () => {
        const probe = await bankEvent(cluster.adminUrl, "chase", { kind: "balance_changed" });
        expect(probe.delivery.status).toBe(200);
        await eventsPublished(a.gateway);
        return appOnB.balances.results.length > 0 && otherOnB.balances.results.length > 0;
      });
      // Results come in log order: once both have the person's newest event, every probe has landed.
      await caughtUp(user.userId, appOnB.balances, otherOnB.balances);
      const seen = appOnB.balances.results.length;
      const seenOther = otherOnB.balances.results.length;

      dataOf(await decide(a, "revokeConsent", consentId, user.user), "revoke on A");
      const denied = await gqlOnB(READ, {}, user.app);
      expect(denied.body.data).toEqual({ accounts: [null] });
      expect(denied.body.errors?.map((e) => e.extensions?.["reason"])).toEqual(["REVOKED"]);
      expect((await revokedSub.nth(1)).data!.consentRevoked).toEqual({ id: consentId, status: "REVOKED" });

      // The other app's next read on B asks the bank again: B's cached entries for the link were dropped.
      const before = chaseCalls();
      expect(dataOf(await gqlOnB(READ, {}, other), "other app on B after").accounts.length).toBeGreaterThan(0);
      expect(chaseCalls()).toBeGreaterThan(before);

      // Bank events after the revocation reach the other app on B, and not the revoked one.
      await bankEvent(cluster.adminUrl, "chase", { kind: "balance_changed" });
      await eventsPublished(a.gateway);
      await bankEvent(cluster.adminUrl, "chase", { kind: "balance_changed" });
      await eventsPublished(a.gateway);
      await caughtUp(user.userId, otherOnB.balances);
      expect(otherOnB.balances.results).toHaveLength(seenOther + 2);
      expect(appOnB.balances.results).toHaveLength(seen);
      await appOnB.client.dispose();
      await otherOnB.client.dispose();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "both instances work the webhook outbox, and each webhook is claimed and sent once",
    async () => {
      const user = await a.newUser("outbox", ["chase"]);
      const consents = new Map<string, string>();
      for (const app of HOOKED_APPS) consents.set(app, await grantFor(a, user, "chase", ["accounts:read"], app));
      // Every delivery is refused once, so its retry is up for grabs by whichever instance polls first.
      const refused = new Set<string>();
      receiver.answer = (_count, request) => {
        const id = String(request.headers["bankgraph-delivery"]);
        if (refused.has(id)) return 200;
        refused.add(id);
        return 503;
      };
      try {
        // Half revoked through A, half through B.
        for (const [i, app] of HOOKED_APPS.entries()) {
          const token = await a.token(user.userId, { client: app });
          const response =
            i % 2 === 0
              ? await decide(a, "revokeConsent", consents.get(app)!, token)
              : await gqlOnB(`mutation($id: ID!) { revokeConsent(id: $id) { id status } }`, { id: consents.get(app)! }, token);
          expect(response.body.errors).toBeUndefined();
        }
        const ids = new Set(consents.values());
        const mine = () => receiver.received.filter((w) => ids.has(JSON.parse(w.body).consentId as string));
        await receiver.waitFor(
          () =>
            new Set(
              mine()
                .filter((w) => w.status === 200)
                .map((w) => w.headers["bankgraph-delivery"]),
            ).size === HOOKED_APPS.length,
          60_000,
        );
        const repository = new AppWebhookDeliveryRepository(db);
        const rows = (await Promise.all(HOOKED_APPS.map((app) => repository.listForClient(app)))).flat();
        await until("every delivery recorded as delivered", async () =>
          (await Promise.all(HOOKED_APPS.map((app) => repository.listForClient(app)))).flat().every((r) => r.deliveredAt !== null),
        );
        expect(rows).toHaveLength(HOOKED_APPS.length);
        for (const row of (await Promise.all(HOOKED_APPS.map((app) => repository.listForClient(app)))).flat()) {
          const posts = receiver.received.filter((w) => w.headers["bankgraph-delivery"] === row.id);
          expect(posts.map((w) => w.status)).toEqual([503, 200]);
          expect(row.attempts).toBe(2);
        }
      } finally {
        receiver.answer = () => 200;
      }
    },
    TEST_TIMEOUT_MS,
  );
});
