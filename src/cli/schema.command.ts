import { buildSchema as buildFromSdl } from "graphql";
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { buildGatewaySchema, printGatewaySchema } from "../schema/build-schema.js";
import { appendChangelogEntry } from "./schema-changelog.js";
import { changesContract, compareSchemas, describeChanges } from "./schema-changes.js";

const SCHEMA_FILE = new URL("../../schema.graphql", import.meta.url);
const CHANGELOG_FILE = new URL("../../docs/schema-changelog.md", import.meta.url);
const ACCEPT_HINT = 'An intended break is accepted with `npm run schema -- --accept-breaking "<why>"` (the reason goes into docs/schema-changelog.md).';

/**
 * `bankgraph schema [--write | --check] [--file <path>] [--accept-breaking "<why>"] [--changelog <path>]`:
 * print the code-first SDL, write it, or compare it with the file. `--check` names every breaking,
 * dangerous and added change (exit 1 on any difference). `--write` refuses a breaking change unless
 * it is accepted with `--accept-breaking "<why>"`, and records every contract change (with the
 * reason) in docs/schema-changelog.md. `--file` defaults to the committed `schema.graphql` at the
 * repository root, `--changelog` to docs/schema-changelog.md.
 */
export async function schemaCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      write: { type: "boolean" },
      check: { type: "boolean" },
      file: { type: "string" },
      changelog: { type: "string" },
      "accept-breaking": { type: "string" },
    },
  });
  const file = values.file ?? SCHEMA_FILE;
  const name = values.file ?? "schema.graphql";
  const accepted = values["accept-breaking"]?.trim();
  if (values["accept-breaking"] !== undefined && !accepted) {
    process.stderr.write('--accept-breaking needs the reason, e.g. --accept-breaking "Balance.limit is now non-null"\n');
    return 2;
  }
  const sdl = printGatewaySchema(await buildGatewaySchema());
  if (!values.write && !values.check) {
    process.stdout.write(sdl);
    return 0;
  }
  const committed = await readFile(file, "utf8").catch(() => undefined);
  if (committed === sdl) {
    process.stdout.write(`${name} matches the code\n`);
    return 0;
  }
  if (committed === undefined) {
    if (values.check) {
      process.stdout.write(`${name} is missing. Run \`npm run schema\` to write it.\n`);
      return 1;
    }
    await writeFile(file, sdl);
    process.stdout.write(`wrote ${name}\n`);
    return 0;
  }
  const changes = compareSchemas(buildFromSdl(committed), buildFromSdl(sdl));
  for (const line of describeChanges(changes)) process.stdout.write(`${line}\n`);
  const summary = `${changes.breaking.length} breaking, ${changes.dangerous.length} dangerous change(s)`;
  if (values.check) {
    process.stdout.write(`${name} differs from the code (${summary}). Run \`npm run schema\` to update it.\n`);
    if (changes.breaking.length) process.stdout.write(`${ACCEPT_HINT}\n`);
    return 1;
  }
  if (changes.breaking.length && !accepted) {
    process.stdout.write(`Refusing to write ${name}: ${changes.breaking.length} breaking change(s) would break existing clients. ${ACCEPT_HINT}\n`);
    return 1;
  }
  await writeFile(file, sdl);
  if (changesContract(changes)) {
    const title = accepted ?? (changes.dangerous.length ? "Dangerous changes" : "Additions");
    await appendChangelogEntry(values.changelog ?? CHANGELOG_FILE, { date: new Date().toISOString().slice(0, 10), title, changes });
  }
  process.stdout.write(`wrote ${name} (${summary})\n`);
  return 0;
}
