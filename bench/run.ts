/**
 * `npm run bench [-- --quick] [--only 1,3] [--cpu-prof] [--out file]`: runs the benchmark
 * scenarios (issue 7), prints a table per scenario and the targets, and writes the results as
 * JSON (default bench/results.json). Every ratio is against a baseline measured in the same run.
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SCENARIOS } from "./scenarios/index.js";
import { createBenchContext } from "./support/bench-context.js";
import { FULL_PROFILE, QUICK_PROFILE } from "./support/profile.js";
import { renderReport, type ScenarioResult } from "./support/report.js";

const USAGE = `Usage: npm run bench -- [--quick] [--only 1,3,...] [--cpu-prof] [--out bench/results.json]
  --quick      every scenario shortened; the whole run finishes in under two minutes
  --only       run these scenarios (${SCENARIOS.map((s) => `${s.id} ${s.name}`).join(", ")})
  --cpu-prof   write V8 CPU profiles of each measured throughput run (server and mock banks) to bench/profiles/
  --out        where to write the JSON results
Environment: BENCH_GATEWAY_ENV='{"VAR":"value"}' sets gateway variables on every target (applied last);
BENCH_DATABASE_URL is the PostgreSQL of the cluster scenario (default TEST_DATABASE_URL, then local "test");
BENCH_REDIS_URL the Redis of the real-time latency scenario (default TEST_REDIS_URL, then redis://127.0.0.1:6379).
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      "cpu-prof": { type: "boolean", default: false },
      out: { type: "string", default: fileURLToPath(new URL("./results.json", import.meta.url)) },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const only = values.only?.split(",").map((s) => s.trim());
  const unknown = only?.filter((id) => !SCENARIOS.some((s) => s.id === id)) ?? [];
  if (unknown.length > 0) {
    process.stderr.write(`Unknown scenario(s): ${unknown.join(", ")}\n\n${USAGE}`);
    return 2;
  }
  const profile = values.quick ? QUICK_PROFILE : FULL_PROFILE;
  const cpuProfileDir = values["cpu-prof"] ? fileURLToPath(new URL("./profiles/", import.meta.url)) : undefined;
  if (cpuProfileDir) await mkdir(cpuProfileDir, { recursive: true });

  const startedAt = new Date();
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg(),
  };
  process.stderr.write(
    `[bench] ${profile.mode} run on ${machine.cpus} × ${machine.cpuModel}, load average ${machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(" ")}\n`,
  );

  const context = await createBenchContext({ profile, cpuProfileDir });
  const results: ScenarioResult[] = [];
  const failures: Array<{ id: string; error: string }> = [];
  const selected = SCENARIOS.filter((s) => !only || only.includes(s.id));
  try {
    await context.prestart(selected.flatMap((s) => s.targets(profile)));
    for (const scenario of selected) {
      const started = Date.now();
      context.log(`scenario ${scenario.id}: ${scenario.name}`);
      try {
        results.push(await scenario.run(context));
      } catch (error) {
        failures.push({ id: scenario.id, error: error instanceof Error ? error.message : String(error) });
        context.log(`scenario ${scenario.id} failed: ${error instanceof Error ? error.stack : String(error)}`);
      }
      context.log(`scenario ${scenario.id} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await context.close();
  }

  const finishedAt = new Date();
  process.stdout.write(`${renderReport(results)}\n`);
  for (const failure of failures) process.stdout.write(`\nscenario ${failure.id} FAILED: ${failure.error}\n`);
  const durationSeconds = Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000);
  process.stdout.write(`\n${profile.mode} run: ${durationSeconds} s; results in ${values.out}\n`);
  await writeFile(
    values.out,
    `${JSON.stringify({ mode: profile.mode, startedAt, finishedAt, durationSeconds, machine, loadAverageAtEnd: os.loadavg(), profile, scenarios: results, failures }, null, 2)}\n`,
  );
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
