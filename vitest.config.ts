import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

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
    // One migrated PGlite per run; every test store is a clone of it (test/support/pglite-template.ts).
    globalSetup: ["test/support/pglite-template.setup.ts"],
  },
});
