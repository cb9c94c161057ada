/**
 * docs/configuration.md documents every environment variable the gateway reads, with a default and
 * an example — checked against the zod schema in src/config.ts (and the CLI's own variables), so a
 * new variable cannot ship undocumented.
 */
import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";

const read = (path: string) => readFile(new URL(`../../${path}`, import.meta.url), "utf8");

it("documents every variable of src/config.ts and the CLI in a table row of its own", async () => {
  const config = await read("src/config.ts");
  const schema = config.slice(config.indexOf("const envSchema = z.object({"), config.indexOf("});", config.indexOf("const envSchema")));
  const variables = [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+): z\./gm)].map((m) => m[1]!);
  expect(variables).toContain("DATABASE_URL");
  const cli = (await read("src/cli/mocks.command.ts")).match(/process\.env\["([A-Z_]+)"\]/g)!.map((m) => m.slice(13, -2));
  const docs = await read("docs/configuration.md");
  // A row: | `NAME` | default | example | meaning |
  const rows = new Map(
    [...docs.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|([^|]*)\|([^|]*)\|([^|]*)\|$/gm)].map((m) => [m[1]!, [m[2]!.trim(), m[3]!.trim(), m[4]!.trim()]]),
  );
  const missing = [...variables, ...cli].filter((name) => !rows.has(name));
  expect(missing).toEqual([]);
  for (const [name, cells] of rows)
    expect(
      cells.every((cell) => cell.length > 0),
      name,
    ).toBe(true);
});
