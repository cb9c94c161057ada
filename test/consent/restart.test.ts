/**
 * Restart persistence on the embedded store: a gateway on a DATA_DIR is stopped and a new one
 * started on the same directory (same mock banks). Links, consents and the access log survive and
 * the data still flows. And `bankgraph migrate` on a DATA_DIR applies the migrations once.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { loadMigrations } from "../../src/store/migrate.js";
import { TEST_ANCHOR, startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { seedDataDir } from "../support/pglite-template.js";
import { dataOf } from "./consent-harness.js";

const run = promisify(execFile);
const BANKS = ["chase", "paypal"];
const READ = `query Read { accounts { id institution { id } balance { current { amount } } } }`;
const STATE = `{ links { id status institution { id } } consents { id status scopes expiresAt } }`;
const LOG = `{ accessLog(first: 100) { nodes { id requestId scope institutionId consentId operationName } } }`;

describe("restart on the same DATA_DIR", () => {
  let cluster: MockCluster;
  let dataDir: string;
  let t: TestGateway | undefined;

  beforeAll(async () => {
    cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: BANKS });
    dataDir = await mkdtemp(join(tmpdir(), "bankgraph-restart-"));
    await seedDataDir(dataDir);
  });
  afterAll(async () => {
    await t?.close();
    await cluster?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps links, consents and the access log, and the data still flows", async () => {
    t = await startTestGateway({ cluster, env: { DATA_DIR: dataDir } });
    expect(t.gateway.services.db.kind).toBe("pglite");
    const user: TestUser = await t.newUser("restart", BANKS);
    await t.grant(user, "chase", ["accounts:read", "balances:read"]);
    await t.grant(user, "paypal", ["accounts:read", "balances:read"]);
    const first = dataOf(await t.gql(READ, {}, user.app, { "x-request-id": "before-restart" }), "read before");
    const state = dataOf(await t.gql(STATE, {}, user.user), "state before");
    const log = dataOf(await t.gql(LOG, {}, user.user), "log before").accessLog.nodes;
    expect(log.map((n: any) => n.requestId)).toEqual(Array(log.length).fill("before-restart"));
    expect(log.map((n: any) => `${n.institutionId} ${n.scope}`).sort()).toEqual([
      "chase accounts:read",
      "chase balances:read",
      "paypal accounts:read",
      "paypal balances:read",
    ]);
    await t.close();
    t = undefined;

    t = await startTestGateway({ cluster, env: { DATA_DIR: dataDir } });
    expect(dataOf(await t.gql(STATE, {}, user.user), "state after")).toEqual(state);
    expect(state.links.map((l: any) => l.status)).toEqual(["ACTIVE", "ACTIVE"]);
    expect(state.consents.map((c: any) => c.status)).toEqual(["AUTHORIZED", "AUTHORIZED"]);
    expect(dataOf(await t.gql(LOG, {}, user.user), "log after").accessLog.nodes).toEqual(log);

    // The stored (encrypted) bank tokens still work: the same accounts, read again and logged again.
    const second = dataOf(await t.gql(READ, {}, user.app, { "x-request-id": "after-restart" }), "read after");
    expect(second.accounts.map((a: any) => a.id)).toEqual(first.accounts.map((a: any) => a.id));
    const after = dataOf(await t.gql(LOG, {}, user.user), "log after read").accessLog.nodes;
    expect(after.slice(log.length)).toEqual(log);
    expect(after.slice(0, log.length).map((n: any) => n.requestId)).toEqual(Array(log.length).fill("after-restart"));
  }, 120_000);
});

describe("bankgraph migrate", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "bankgraph-migrate-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const migrate = () =>
    run(process.execPath, ["bin/bankgraph.js", "migrate"], {
      cwd: new URL("../..", import.meta.url).pathname,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATA_DIR: dataDir, LOG_LEVEL: "silent" },
      timeout: 60_000,
    });

  it("applies every migration on a new DATA_DIR, and none the second time", async () => {
    const migrations = await loadMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    const first = await migrate();
    expect(first.stdout).toBe(
      migrations.map((m) => `applied ${m.version} ${m.name}\n`).join("") + `pglite: ${migrations.length} migrations applied, ${migrations.length} new\n`,
    );
    const second = await migrate();
    expect(second.stdout).toBe(`pglite: ${migrations.length} migrations applied, 0 new\n`);
  }, 120_000);
});
