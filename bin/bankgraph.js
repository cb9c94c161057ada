#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx (esbuild), so there is no build step to forget.
import { register } from "tsx/esm/api";

register({ tsconfig: new URL("../tsconfig.json", import.meta.url).pathname });
await import("../src/cli/main.ts");
