/**
 * Graceful shutdown under load: slow queries are in flight (the mock bank adds latency) and more
 * keep arriving while the gateway stops. Every request must end one of two ways — completed (200,
 * a whole JSON body, its reads in the access log) or refused before the gateway accepted it — and
 * none may be cut mid-way. Once in-process (`gateway.close()`), once as a real `bankgraph serve`
 * child process receiving SIGTERM, whose own request log must name exactly the completed requests.
 *
 * Requests go over node:http with a fresh connection each (no keep-alive), so "refused" means the
 * connection itself was refused or closed before any byte of a response.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { mintDevToken } from "../../src/auth/dev-token.js";
import { loadConfig } from "../../src/config.js";
import { ConsentPurpose } from "../../src/domain/consent.js";
import { ClientRepository } from "../../src/store/client-repository.js";
import type { Database } from "../../src/store/database.js";
import { openPglite } from "../../src/store/pglite.js";
import { openPgliteTestDatabase } from "../support/databases.js";
import { seedDataDir } from "../support/pglite-template.js";
import { APP, TEST_ANCHOR, personAtBank, startTestGateway } from "../support/gateway.js";
import { DAY_MS } from "../../src/clock.js";
import { authorizeThroughBank, bankCallbackUri } from "../../src/links/bank-authorization.js";
import { createServices } from "../../src/server/services.js";

const BANK = "chase";
const SLOW_MS = 1000;
/** In-flight requests, one user (one link, one distinct bank call) each. */
const IN_FLIGHT = 6;
const QUERY = `query Balances { accounts { id balance { current { amount } } } }`;

type Outcome =
  | { id: string; kind: "completed"; status: number; body: { data?: { accounts?: unknown[] }; errors?: unknown[] } }
  | { id: string; kind: "refused"; code: string }
  | { id: string; kind: "cut"; reason: string };

/** One POST on its own connection, classified. */
function send(url: string, token: string, id: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const payload = JSON.stringify({ query: QUERY });
    let responded = false;
    const req = request(
      url,
      {
        method: "POST",
        agent: false,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), authorization: `Bearer ${token}`, "x-request-id": id },
      },
      (res) => {
        responded = true;
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", (error) => resolve({ id, kind: "cut", reason: error.message }));
        res.on("end", () => {
          if (!res.complete) return resolve({ id, kind: "cut", reason: "response ended early" });
          const text = Buffer.concat(chunks).toString("utf8");
          try {
            resolve({ id, kind: "completed", status: res.statusCode!, body: JSON.parse(text) });
          } catch {
            resolve({ id, kind: "cut", reason: `not a whole JSON body: ${text.slice(0, 60)}` });
          }
        });
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) =>
      resolve(responded ? { id, kind: "cut", reason: error.message } : { id, kind: "refused", code: error.code ?? error.message }),
    );
    req.end(payload);
  });
}

/** Starts the in-flight load, stops the gateway with `stop`, and keeps sending until it has stopped. */
async function shutdownUnderLoad(options: { url: string; tokens: string[]; bankCalls: () => number; stop: () => Promise<unknown> }) {
  const { url, tokens } = options;
  const inFlight = tokens.map((token, i) => send(url, token, `inflight-${i}`));
  // Every in-flight request has reached the bank (distinct links: one call each), so all were accepted.
  const deadline = Date.now() + 15_000;
  while (options.bankCalls() < tokens.length) {
    if (Date.now() > deadline) throw new Error("the in-flight requests never reached the bank");
    await sleep(10);
  }
  let stopped = false;
  const stopping = options.stop().finally(() => (stopped = true));
  const late: Array<Promise<Outcome>> = [];
  const sendLate = () => late.push(send(url, tokens[late.length % tokens.length]!, `late-${late.length}`));
  while (!stopped) {
    sendLate();
    await sleep(25);
  }
  await stopping;
  for (let i = 0; i < 3; i++) sendLate(); // after the stop: must be refused
  return { inFlight: await Promise.all(inFlight), late: await Promise.all(late) };
}

function expectCompletedOrRefused(outcomes: Outcome[]): void {
  for (const outcome of outcomes) {
    if (outcome.kind === "cut") throw new Error(`${outcome.id} was cut mid-way: ${outcome.reason}`);
    if (outcome.kind === "refused") {
      expect(["ECONNREFUSED", "ECONNRESET"]).toContain(outcome.code);
      continue;
    }
    if (outcome.status === 503) continue; // refused by the draining server, with a whole body
    expect(outcome.status).toBe(200);
    expect(outcome.body.errors).toBeUndefined();
    expect(outcome.body.data?.accounts?.length).toBeGreaterThan(0);
  }
}

async function requestIdsInAccessLog(db: Database): Promise<Set<string>> {
  const rows = await db.query<{ request_id: string }>("SELECT DISTINCT request_id FROM access_log");
  return new Set(rows.map((r) => r.request_id));
}

const completedIds = (outcomes: Outcome[]) => outcomes.filter((o) => o.kind === "completed" && o.status === 200).map((o) => o.id);

describe("gateway.close() under load", () => {
  it("completes every accepted request, records its reads, and refuses the rest", async () => {
    const db = await openPgliteTestDatabase();
    const t = await startTestGateway({ db, mocks: { banks: [BANK] } });
    try {
      const users = [];
      for (let i = 0; i < IN_FLIGHT; i++) {
        const u = await t.newUser(`drain-${i}`, [BANK]);
        await t.grant(u, BANK, ["accounts:read", "balances:read"]);
        users.push(u);
      }
      t.resetBankCalls();
      await t.mocks.bank(BANK).setFaults({ latencyMs: SLOW_MS });

      const { inFlight, late } = await shutdownUnderLoad({
        url: t.url,
        tokens: users.map((u) => u.app),
        bankCalls: () => t.mocks.bank(BANK).requestLog().length,
        stop: () => t.gateway.close(),
      });

      expect(inFlight.map((o) => [o.id, o.kind === "completed" ? o.status : o.kind])).toEqual(inFlight.map((o) => [o.id, 200]));
      expectCompletedOrRefused([...inFlight, ...late]);
      expect(late.some((o) => o.kind === "refused")).toBe(true);
      const logged = await requestIdsInAccessLog(db);
      for (const id of completedIds([...inFlight, ...late])) expect(logged).toContain(id);
      for (const o of late.filter((o) => o.kind === "refused")) expect(logged).not.toContain(o.id);
    } finally {
      await t.close().catch(() => undefined); // already stopped by the test, unless it failed early
      await db.close();
    }
  });
});

describe("bankgraph serve and SIGTERM", () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  let cluster: MockCluster;
  let dataDir: string;
  let child: ChildProcess | undefined;
  const logLines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: [BANK] });
    dataDir = await mkdtemp(join(tmpdir(), "bankgraph-shutdown-"));
    await seedDataDir(dataDir);
    // The app is registered out of band, as an operator would; everything else goes over HTTP.
    const db = await openPglite({ dataDir });
    await new ClientRepository(db).register({ id: APP, name: "Messenger (test)", allowedPurposes: Object.values(ConsentPurpose) });
    await db.close();
    // The users' banks are linked out of band too, through the bank's own OAuth pages (the gateway's
    // services on the same DATA_DIR, before the gateway under test starts).
    const services = await createServices(loadConfig({ NODE_ENV: "test", DATA_DIR: dataDir, LOG_LEVEL: "silent" }), cluster.urls);
    try {
      for (const userId of Array.from({ length: IN_FLIGHT }, (_, i) => `sigterm-${i}`)) {
        const outcome = await authorizeThroughBank(services.bankAuthorization, personAtBank(), {
          userId,
          institutionId: BANK,
          scopes: ["accounts:read", "balances:read"],
          expiresAt: new Date(Date.now() + 30 * DAY_MS),
          redirectUri: bankCallbackUri("http://127.0.0.1:4000", BANK),
        });
        if (outcome.status !== "LINKED") throw new Error(`${userId} not linked`);
      }
    } finally {
      await services.close();
    }
  });
  afterAll(async () => {
    child?.kill("SIGKILL");
    await cluster?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function serve(): Promise<{ url: string; exited: Promise<number | null> }> {
    const proc = spawn(process.execPath, ["bin/bankgraph.js", "serve"], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "test",
        PORT: "0",
        HOST: "127.0.0.1",
        BANK_URLS: JSON.stringify(cluster.urls),
        DEMO_DATA: "false",
        DATA_DIR: dataDir,
        LOG_LEVEL: "info",
        UPSTREAM_CACHE_TTL_MS: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
    let stderr = "";
    proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let buffered = "";
    const url = await new Promise<string>((resolve, reject) => {
      proc.stdout.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop()!;
        for (const line of lines) {
          if (!line.startsWith("{")) continue;
          const entry = JSON.parse(line) as Record<string, unknown>;
          logLines.push(entry);
          if (entry["msg"] === "Bankgraph ready") resolve(entry["url"] as string);
        }
      });
      void exited.then((code) => reject(new Error(`serve exited (${code}) before it was ready: ${stderr}`)));
    });
    return { url: url.replace("localhost", "127.0.0.1"), exited };
  }

  async function gql(url: string, query: string, variables: Record<string, unknown>, token: string) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, { id: string }>; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!;
  }

  it("drains in-flight queries, logs and records each completed one, refuses the rest, exits 0", async () => {
    const { url, exited } = await serve();
    const config = loadConfig({});
    const mint = (userId: string, scopes: string[]) =>
      mintDevToken({ userId, clientId: APP, scopes, secret: config.jwt.secret!, issuer: config.jwt.issuer, audience: config.jwt.audience });
    const apps: string[] = [];
    for (const userId of Array.from({ length: IN_FLIGHT }, (_, i) => `sigterm-${i}`)) {
      const user = await mint(userId, ["consent:manage"]);
      const app = await mint(userId, []);
      const [link] = (await gql(url, `{ links { id } }`, {}, user)).links as unknown as Array<{ id: string }>;
      const { requestConsent } = await gql(
        url,
        `mutation($i: RequestConsentInput!) { requestConsent(input: $i) { id } }`,
        { i: { linkId: link!.id, scopes: ["accounts:read", "balances:read"], purpose: "ACCOUNT_OVERVIEW", durationDays: 30 } },
        app,
      );
      await gql(url, `mutation($id: ID!) { authorizeConsent(id: $id) { id } }`, { id: requestConsent!.id }, user);
      apps.push(app);
    }
    cluster.bank(BANK).resetCallCounts();
    await cluster.bank(BANK).setFaults({ latencyMs: SLOW_MS });

    const { inFlight, late } = await shutdownUnderLoad({
      url,
      tokens: apps,
      bankCalls: () => cluster.bank(BANK).requestLog().length,
      stop: async () => {
        child!.kill("SIGTERM");
        return exited;
      },
    });

    expect(await exited).toBe(0);
    expect(inFlight.map((o) => [o.id, o.kind === "completed" ? o.status : o.kind])).toEqual(inFlight.map((o) => [o.id, 200]));
    expectCompletedOrRefused([...inFlight, ...late]);
    expect(late.some((o) => o.kind === "refused")).toBe(true);

    // The server's own request log names exactly the requests that completed: none accepted and lost.
    const served = logLines.filter((l) => l["msg"] === "graphql request" && String(l["requestId"]).match(/^(inflight|late)-/));
    expect(served.map((l) => l["requestId"]).sort()).toEqual(completedIds([...inFlight, ...late]).sort());
    expect(served.every((l) => l["status"] === 200 && l["aborted"] === undefined)).toBe(true);
    expect(logLines.some((l) => l["msg"] === "shut down cleanly")).toBe(true);

    // …and the access log, flushed before the store closed, has every completed one.
    const db = await openPglite({ dataDir });
    try {
      const logged = await requestIdsInAccessLog(db);
      for (const id of completedIds([...inFlight, ...late])) expect(logged).toContain(id);
      for (const o of late.filter((o) => o.kind === "refused")) expect(logged).not.toContain(o.id);
    } finally {
      await db.close();
    }
  }, 90_000);
});
