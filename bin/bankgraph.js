#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx (esbuild), so there is no build step to forget.
import { createRequire } from "node:module";
import process from "node:process";
import { register } from "tsx/esm/api";

// graphql-js fixes its mode when it loads, from NODE_ENV: outside "production" it adds a
// cross-realm check to every type test (~0.5–1 ms of CPU per dashboard). That check only catches
// two copies of graphql in one process, which this package's single dependency tree rules out; so
// graphql-js always loads in its production mode, while Bankgraph's own mode stays NODE_ENV's
// (playground, dev tokens, demo data). GRAPHQL_DEV_CHECKS=1 keeps graphql-js's check.
if (process.env.GRAPHQL_DEV_CHECKS !== "1" && process.env.NODE_ENV !== "production") {
  const appMode = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    createRequire(import.meta.url)("graphql/jsutils/instanceOf.js");
  } finally {
    if (appMode === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = appMode;
  }
}

register({ tsconfig: new URL("../tsconfig.json", import.meta.url).pathname });
await import("../src/cli/main.ts");
