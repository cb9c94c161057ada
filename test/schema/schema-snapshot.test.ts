/**
 * The committed `schema.graphql` is the code-first schema, printed. `bankgraph schema --check`
 * agrees with it (exit 0), and against a file that differs it exits non-zero and names each
 * breaking change — checked on copies in a temp dir; the real schema.graphql is never touched.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGatewaySchema, printGatewaySchema } from "../../src/schema/build-schema.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCHEMA_FILE = join(ROOT, "schema.graphql");
const CLI_TIMEOUT_MS = 60_000;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/bankgraph.js schema ...args` the way `npm run schema:check` does. */
function schemaCli(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["bin/bankgraph.js", "schema", ...args], { cwd: ROOT, timeout: CLI_TIMEOUT_MS }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const sha256 = async (path: string) =>
  createHash("sha256")
    .update(await readFile(path))
    .digest("hex");

let committed: string;
let committedHash: string;
let code: string;
let dir: string;

beforeAll(async () => {
  committed = await readFile(SCHEMA_FILE, "utf8");
  code = printGatewaySchema(await buildGatewaySchema());
  committedHash = await sha256(SCHEMA_FILE);
  dir = await mkdtemp(join(tmpdir(), "bankgraph-schema-"));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  // The suite only ever wrote copies.
  expect(await sha256(SCHEMA_FILE)).toBe(committedHash);
});

/** Writes the code's SDL with `edit` applied to a temp file; fails if the edit did not apply. */
async function modifiedCopy(name: string, edit: (sdl: string) => string): Promise<string> {
  const changed = edit(code);
  expect(changed).not.toBe(code);
  const path = join(dir, name);
  await writeFile(path, changed);
  return path;
}

describe("schema.graphql", () => {
  it("is exactly the code-first schema, printed", () => {
    expect(code).toBe(committed);
  });

  it(
    "`schema --check` exits 0 on the committed file",
    async () => {
      const result = await schemaCli("--check");
      expect(result).toEqual({ code: 0, stdout: "schema.graphql matches the code\n", stderr: "" });
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "`schema --check --file` exits 1 and names every breaking change",
    async () => {
      const path = await modifiedCopy("breaking.graphql", (sdl) =>
        sdl
          // The file promises a field and a type the code does not have, and another type for a field.
          .replace("type Institution {\n", 'type Institution {\n  """Legacy."""\n  legacyCode: String!\n')
          .replace("  mask: String!\n", '  mask: String!\n  """Legacy."""\n  legacyMask: Int\n')
          .concat('\n"""Legacy."""\nenum LegacyKind {\n  OLD\n}\n'),
      );
      const result = await schemaCli("--check", "--file", path);
      expect(result.code).toBe(1);
      expect(
        result.stdout
          .split("\n")
          .filter((l) => l.startsWith("BREAKING"))
          .sort(),
      ).toEqual([
        "BREAKING  FIELD_REMOVED: Account.legacyMask was removed.",
        "BREAKING  FIELD_REMOVED: Institution.legacyCode was removed.",
        "BREAKING  TYPE_REMOVED: LegacyKind was removed.",
      ]);
      expect(result.stdout).toContain(`${path} differs from the code (3 breaking, 0 dangerous change(s)). Run \`npm run schema\` to update it.`);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "`schema --check --file` exits 1 on a difference that breaks nothing, listing no breaking change",
    async () => {
      const path = await modifiedCopy("description.graphql", (sdl) => sdl.replace('"""Display name, e.g. "JPMorgan Chase"."""', '"""The name."""'));
      const result = await schemaCli("--check", "--file", path);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe(`${path} differs from the code (0 breaking, 0 dangerous change(s)). Run \`npm run schema\` to update it.\n`);
    },
    CLI_TIMEOUT_MS,
  );
});
