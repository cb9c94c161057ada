import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";
import SlowFirstSequencer from "./test/support/slow-first-sequencer.js";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // type-graphql loads graphql's CommonJS entry; make every import use that same copy
    // ("Cannot use GraphQLObjectType from another module or realm" otherwise).
    alias: { graphql: require.resolve("graphql/index.js") },
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most files spend their time waiting (on sockets, child processes, PGlite), so more files
    // than cores run at once; vitest's default is one fewer than the cores, a single one on 2.
    maxWorkers: 3,
    // One migrated PGlite per run; every test store is a clone of it (test/support/pglite-template.ts).
    globalSetup: ["test/support/pglite-template.setup.ts"],
    sequence: { sequencer: SlowFirstSequencer },
  },
});
