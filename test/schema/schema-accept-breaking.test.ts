/**
 * `npm run schema` / `npm run schema:check` as a developer meets them: check names breaking,
 * dangerous and added changes; write refuses a breaking change until it is accepted with a reason,
 * and records every contract change in the changelog. Runs the real CLI on copies in a temp dir
 * (`--file`, `--changelog`); the repository's schema.graphql and changelog are never touched.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHANGELOG_MARKER } from "../../src/cli/schema-changelog.js";
import { buildGatewaySchema, printGatewaySchema } from "../../src/schema/build-schema.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI_TIMEOUT_MS = 60_000;
const ACCEPT_HINT = 'An intended break is accepted with `npm run schema -- --accept-breaking "<why>"` (the reason goes into docs/schema-changelog.md).';
const OLD_CHANGELOG = `# Test changelog\n\n${CHANGELOG_MARKER}\n\n## 0.1.0 — Initial version\n\nThe first schema.\n`;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function schemaCli(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["bin/bankgraph.js", "schema", ...args], { cwd: ROOT, timeout: CLI_TIMEOUT_MS }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Today in UTC, read around a run so a run across midnight still matches. */
const today = () => new Date().toISOString().slice(0, 10);

let code: string;
let dir: string;

beforeAll(async () => {
  code = printGatewaySchema(await buildGatewaySchema());
  dir = await mkdtemp(join(tmpdir(), "bankgraph-schema-accept-"));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A "committed" schema that differs from the code by `edit`, and a changelog beside it. */
async function fixture(name: string, edit: (sdl: string) => string): Promise<{ file: string; changelog: string }> {
  const changed = edit(code);
  expect(changed).not.toBe(code);
  const file = join(dir, `${name}.graphql`);
  const changelog = join(dir, `${name}.md`);
  await writeFile(file, changed);
  await writeFile(changelog, OLD_CHANGELOG);
  return { file, changelog };
}

/** The committed file promises a field the code dropped, lacks an enum value and a query the code added. */
const breakDangerAndAdd = (sdl: string) =>
  sdl
    .replace("type Institution {\n", 'type Institution {\n  """Legacy."""\n  legacyCode: String!\n')
    .replace("  SAVINGS\n  WALLET\n}", "  SAVINGS\n}")
    .replace(/ {2}"""Every institution the gateway connects to, with its recent health."""\n {2}institutions: \[Institution!\]!\n/, "");

describe("schema --check", () => {
  it(
    "names each breaking, dangerous and added change, and how to accept the break",
    async () => {
      const { file } = await fixture("check", breakDangerAndAdd);
      const result = await schemaCli("--check", "--file", file);
      expect(result).toEqual({
        code: 1,
        stderr: "",
        stdout: [
          "BREAKING  FIELD_REMOVED: Institution.legacyCode was removed.",
          "DANGEROUS VALUE_ADDED_TO_ENUM: WALLET was added to enum type AccountType.",
          "ADDED     Query.institutions",
          `${file} differs from the code (1 breaking, 1 dangerous change(s)). Run \`npm run schema\` to update it.`,
          ACCEPT_HINT,
          "",
        ].join("\n"),
      });
    },
    CLI_TIMEOUT_MS,
  );
});

describe("schema --write", () => {
  it(
    "refuses a breaking change without a reason, and changes nothing",
    async () => {
      const { file, changelog } = await fixture("refuse", breakDangerAndAdd);
      const before = await readFile(file, "utf8");
      const refused = await schemaCli("--write", "--file", file, "--changelog", changelog);
      expect(refused.code).toBe(1);
      expect(refused.stdout.split("\n").at(-2)).toBe(`Refusing to write ${file}: 1 breaking change(s) would break existing clients. ${ACCEPT_HINT}`);
      const blank = await schemaCli("--write", "--file", file, "--changelog", changelog, "--accept-breaking", "  ");
      expect(blank).toEqual({ code: 2, stdout: "", stderr: '--accept-breaking needs the reason, e.g. --accept-breaking "Balance.limit is now non-null"\n' });
      expect(await readFile(file, "utf8")).toBe(before);
      expect(await readFile(changelog, "utf8")).toBe(OLD_CHANGELOG);
    },
    CLI_TIMEOUT_MS * 2,
  );

  it(
    "writes an accepted break and records it, reason first, newest entry on top",
    async () => {
      const { file, changelog } = await fixture("accept", breakDangerAndAdd);
      const dayBefore = today();
      const result = await schemaCli(
        "--write",
        "--file",
        file,
        "--changelog",
        changelog,
        "--accept-breaking",
        "Institution.legacyCode retired: no client reads it",
      );
      const dayAfter = today();
      expect(result.code).toBe(0);
      expect(result.stdout.split("\n").at(-2)).toBe(`wrote ${file} (1 breaking, 1 dangerous change(s))`);
      expect(await readFile(file, "utf8")).toBe(code);
      const entry = (date: string) =>
        [
          `## ${date} — Institution.legacyCode retired: no client reads it`,
          "",
          "Breaking (accepted):",
          "",
          "- FIELD_REMOVED: Institution.legacyCode was removed.",
          "",
          "Dangerous:",
          "",
          "- VALUE_ADDED_TO_ENUM: WALLET was added to enum type AccountType.",
          "",
          "Added:",
          "",
          "- `Query.institutions`",
          "",
        ].join("\n");
      const written = await readFile(changelog, "utf8");
      expect(
        [dayBefore, dayAfter].map((day) => `# Test changelog\n\n${CHANGELOG_MARKER}\n\n${entry(day)}\n## 0.1.0 — Initial version\n\nThe first schema.\n`),
      ).toContain(written);
      expect(await schemaCli("--check", "--file", file)).toEqual({ code: 0, stdout: `${file} matches the code\n`, stderr: "" });
    },
    CLI_TIMEOUT_MS * 2,
  );

  it(
    "records additions without asking, and leaves description-only edits out of the changelog",
    async () => {
      const added = await fixture("additions", (sdl) =>
        sdl.replace(/ {2}"""Every institution the gateway connects to, with its recent health."""\n {2}institutions: \[Institution!\]!\n/, ""),
      );
      const dayBefore = today();
      const result = await schemaCli("--write", "--file", added.file, "--changelog", added.changelog);
      const dayAfter = today();
      expect(result).toEqual({ code: 0, stdout: `ADDED     Query.institutions\nwrote ${added.file} (0 breaking, 0 dangerous change(s))\n`, stderr: "" });
      const entry = (date: string) => `## ${date} — Additions\n\nAdded:\n\n- \`Query.institutions\`\n`;
      expect(
        [dayBefore, dayAfter].map((day) => `# Test changelog\n\n${CHANGELOG_MARKER}\n\n${entry(day)}\n## 0.1.0 — Initial version\n\nThe first schema.\n`),
      ).toContain(await readFile(added.changelog, "utf8"));

      const described = await fixture("descriptions", (sdl) => sdl.replace('"""Display name, e.g. "JPMorgan Chase"."""', '"""The name."""'));
      expect(await schemaCli("--write", "--file", described.file, "--changelog", described.changelog)).toEqual({
        code: 0,
        stdout: `wrote ${described.file} (0 breaking, 0 dangerous change(s))\n`,
        stderr: "",
      });
      expect(await readFile(described.file, "utf8")).toBe(code);
      expect(await readFile(described.changelog, "utf8")).toBe(OLD_CHANGELOG);
    },
    CLI_TIMEOUT_MS * 2,
  );
});
