/**
 * Cross-instance revocation latency: how long after a consent is revoked on instance A is the
 * app refused on instance B? Two gateway processes share PostgreSQL (a schema of their own) and
 * Redis, as N instances behind a load balancer do: A runs in this process, B is `bankgraph serve`
 * in a child process. Each round authorizes a consent for the app, has the app read on B (granted),
 * revokes it with the person's token over HTTP on A, and then has the app read on B until it is
 * refused; the figure runs from A's answer to B's first refusing answer, and the rounds count how
 * many reads on B that took (1 = the very next request was refused). A second app keeps a live
 * consent on the link throughout, so Bankgraph's grant at the bank stays (the last consent would
 * end it, and the next round would need a new bank login).
 *
 *   node --import tsx bench/revocation-latency.ts [--rounds 50] [--database postgres://postgres@127.0.0.1:5432/test] [--redis redis://127.0.0.1:6379]
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { startMockCluster } from "../mocks/cluster.js";
import { mintDevToken } from "../src/auth/dev-token.js";
import { loadConfig } from "../src/config.js";
import { ConsentPurpose, SCOPES } from "../src/domain/consent.js";
import { createLogger } from "../src/observability/logger.js";
import { encodeGlobalId } from "../src/schema/global-id.js";
import { startGateway } from "../src/server/app.js";
import { migrate } from "../src/store/migrate.js";
import { openPostgres } from "../src/store/postgres.js";
import { BENCH_CLIENT } from "./support/population.js";
import { seedBenchUsers } from "./support/seed.js";
import { percentile, round, summarizeLatencies } from "./support/stats.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "50" },
    database: { type: "string", default: process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test" },
    redis: { type: "string", default: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379" },
  },
});
const ROUNDS = Number(values.rounds);
const BANK = "chase";
const USER = "revocation-bench";
const APP = "revocation-bench-app";
const READ = `{ accounts { id } }`;

const cluster = await startMockCluster({ banks: [BANK] });
const schema = `bankgraph_revbench_${randomBytes(5).toString("hex")}`;
const db = await openPostgres(values.database, { schema, max: 4, applicationName: "bankgraph-revocation-bench" });
await migrate(db);
const config = loadConfig({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", REDIS_URL: values.redis });
const a = await startGateway({ config, bankUrls: cluster.urls, overrides: { db }, logger: createLogger("silent") });
const b = await startChildGateway();
try {
  const { services } = a;
  // The bench user holds BENCH_CLIENT's consent on the link (the keeper); APP's consents come and go.
  await seedBenchUsers(services, [{ userId: USER, customer: "alice", institutions: [BANK] }]);
  await services.apps.register({
    id: APP,
    displayName: "Revocation bench",
    legalName: "Revocation Bench Ltd.",
    allowedPurposes: Object.values(ConsentPurpose),
    allowedScopes: [...SCOPES],
    redirectUris: ["https://revocation-bench.test/cb"],
  });
  const [link] = await services.links.listForUser(USER);
  const token = (clientId: string, scopes: string[] = []) =>
    mintDevToken({ userId: USER, clientId, scopes, secret: config.jwt.secret!, issuer: config.jwt.issuer, audience: config.jwt.audience });
  const appToken = await token(APP);
  const personToken = await token(BENCH_CLIENT.id, ["consent:manage"]);
  const gql = async (port: number, query: string, variables: Record<string, unknown>, bearer: string) => {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: { accounts?: unknown[] }; errors?: Array<{ extensions?: Record<string, unknown> }> };
  };
  const granted = (answer: Awaited<ReturnType<typeof gql>>) => (answer.data?.accounts ?? []).some((account) => account !== null);

  const latencies: number[] = [];
  const readsUntilRefused: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const consent = await services.consents.requestConsent({
      userId: USER,
      clientId: APP,
      linkId: link!.id,
      scopes: ["accounts:read"],
      purpose: ConsentPurpose.ACCOUNT_OVERVIEW,
      durationDays: 30,
    });
    await services.consents.authorize(consent.id, USER);
    if (!granted(await gql(b.port, READ, {}, appToken))) throw new Error("the app's read on B was not granted before the revocation");
    const revoked = await gql(
      a.port,
      `mutation($id: ID!) { revokeConsent(id: $id) { status } }`,
      { id: encodeGlobalId("Consent", link!.id, consent.id) },
      personToken,
    );
    if (revoked.errors) throw new Error(`revocation on A failed: ${JSON.stringify(revoked.errors)}`);
    const revokedAt = performance.now();
    let reads = 0;
    for (;;) {
      reads++;
      if (!granted(await gql(b.port, READ, {}, appToken))) break;
    }
    latencies.push(performance.now() - revokedAt);
    readsUntilRefused.push(reads);
  }
  const summary = summarizeLatencies(latencies);
  const report = {
    rounds: ROUNDS,
    latencyMs: {
      median: summary.p50,
      p95: round(
        percentile(
          [...latencies].sort((x, y) => x - y),
          95,
        ),
        2,
      ),
      max: summary.max,
    },
    readsOnBUntilRefused: { max: Math.max(...readsUntilRefused), allFirst: readsUntilRefused.every((n) => n === 1) },
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  b.child.kill("SIGTERM");
  await new Promise((resolve) => b.child.once("exit", resolve));
  await a.close();
  await cluster.close();
  await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db.close();
}

/** Instance B: `bankgraph serve` on the same schema and Redis; resolves with its port once it listens. */
async function startChildGateway() {
  const url = new URL(values.database);
  url.searchParams.set("options", `-c search_path=${schema}`);
  const child = spawn(process.execPath, ["bin/bankgraph.js", "serve"], {
    env: {
      ...process.env,
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: url.toString(),
      REDIS_URL: values.redis,
      BANK_URLS: JSON.stringify(cluster.urls),
      DEMO_DATA: "false",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const onLine = (chunk: Buffer) => {
      const match = /"port":(\d+),"msg":"gateway listening"/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    };
    child.stdout.on("data", onLine);
    child.stderr.on("data", onLine);
    child.once("exit", (code) => reject(new Error(`instance B exited with ${code}`)));
  });
  return { child, port };
}
