/**
 * The node flags the gateway runs with, read from the shebang of bin/bankgraph.js
 * (`#!/usr/bin/env -S node <flags>`), the one place they are set: `npm start` runs that file.
 * Every server under test (the gateway and each baseline alike) starts with them, so the bench's
 * ratios compare code, not runtime settings.
 */
import { readFileSync } from "node:fs";

const SHEBANG = /^#!\/usr\/bin\/env -S node((?: --[\w-]+(?:=\S+)?)*)\s*$/;

export function gatewayNodeFlags(): string[] {
  const firstLine = readFileSync(new URL("../../bin/bankgraph.js", import.meta.url), "utf8").split("\n", 1)[0]!;
  const match = SHEBANG.exec(firstLine);
  if (!match) throw new Error(`bin/bankgraph.js: expected a shebang "#!/usr/bin/env -S node --flag…", found ${JSON.stringify(firstLine)}`);
  return match[1]!.split(" ").filter(Boolean);
}
