import { buildSchema as buildFromSdl, findBreakingChanges, findDangerousChanges } from "graphql";
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { buildGatewaySchema, printGatewaySchema } from "../schema/build-schema.js";

const SCHEMA_FILE = new URL("../../schema.graphql", import.meta.url);

export async function schemaCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { write: { type: "boolean" }, check: { type: "boolean" } } });
  const sdl = printGatewaySchema(await buildGatewaySchema());
  if (values.write) {
    await writeFile(SCHEMA_FILE, sdl);
    process.stdout.write("wrote schema.graphql\n");
    return 0;
  }
  if (!values.check) {
    process.stdout.write(sdl);
    return 0;
  }
  const committed = await readFile(SCHEMA_FILE, "utf8").catch(() => "");
  if (committed === sdl) {
    process.stdout.write("schema.graphql matches the code\n");
    return 0;
  }
  const before = buildFromSdl(committed || "type Query { _empty: Boolean }");
  const after = buildFromSdl(sdl);
  const breaking = findBreakingChanges(before, after);
  const dangerous = findDangerousChanges(before, after);
  for (const c of breaking) process.stdout.write(`BREAKING  ${c.type}: ${c.description}\n`);
  for (const c of dangerous) process.stdout.write(`DANGEROUS ${c.type}: ${c.description}\n`);
  process.stdout.write(
    `schema.graphql differs from the code (${breaking.length} breaking, ${dangerous.length} dangerous change(s)). Run \`npm run schema\` to update it.\n`,
  );
  return 1;
}
