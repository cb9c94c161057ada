/**
 * Test-file order for `vitest run`: the files known to take longest start first, so on a small
 * machine they overlap with the many short ones instead of running alone at the end. These mostly
 * wait on child processes (a PostgreSQL cluster and load generators, codegen and tsc, Chromium, the
 * CLI through tsx), so a worker waiting on them leaves CPU to the others. Everything else keeps
 * vitest's own order (previous failures first, then longest first once it has timings).
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Longest first, by measurement (a run on 2 cores, 2026-12). */
const SLOW_FILES = [
  "test/bench/bench-smoke.test.ts",
  "test/sdk/sdk.test.ts",
  "test/schema/schema-accept-breaking.test.ts",
  "test/schema/schema-snapshot.test.ts",
  "test/consent/restart.test.ts",
  "test/playground/playground.test.ts",
  "test/auth/token-cli.test.ts",
  "test/hardening/shutdown.test.ts",
  "test/realtime/multi-instance.test.ts",
];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = SLOW_FILES.findIndex((file) => spec.moduleId.endsWith(file));
      return index === -1 ? SLOW_FILES.length : index;
    };
    // Array.prototype.sort is stable: within the rest, vitest's order stands.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
