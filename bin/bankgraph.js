#!/usr/bin/env -S node --max-semi-space-size=64
// Runs the TypeScript sources directly through tsx (esbuild), so there is no build step to forget.
//
// The shebang's node flags are the gateway's runtime settings (`npm start` runs this file through
// it; the bench starts every server under test with them, bench/support/gateway-node-flags.ts).
// --max-semi-space-size=64: a request allocates ~2–4 MB that dies young (graphql-js's per-field
// results and argument maps, bank answers); with V8's default 16 MB semi-spaces many of those
// objects are still live at a scavenge and get copied and promoted. 64 MB (up to 128 MB more
// young generation per process) measured warm 0.84×, cold 0.89×, `{ __typename }` 0.78× CPU per
// request (README, Performance, session 9).
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
