/**
 * The example operations in `examples/*.graphql`, one entry per named operation with the comment
 * above it. The playground opens them as tabs; the examples test runs every one of them.
 */
import { Kind, OperationTypeNode, parse } from "graphql";
import { readdir, readFile } from "node:fs/promises";

/** Where the examples live: `examples/` at the repository root. */
export const EXAMPLES_DIR = new URL("../../examples/", import.meta.url);

/** One named operation from an example file. */
export interface ExampleOperation {
  /** The operation's name, unique across all examples. */
  name: string;
  type: OperationTypeNode;
  /** File name inside `examples/`, e.g. `dashboard.graphql`. */
  file: string;
  /** The operation's text, with the `#` comment lines that precede it. */
  source: string;
  /** Variables without a default value that must be given, with their GraphQL types. */
  requiredVariables: Array<{ name: string; type: string }>;
  /**
   * Whose token runs it: "user" when its comment has a `# Token: user` line (the user's own,
   * user-present token with consent:manage), "app" otherwise.
   */
  token: "app" | "user";
}

const USER_TOKEN_MARKER = /^\s*#\s*Token:\s*user\b/im;

/**
 * Reads every `*.graphql` file in `dir` (sorted by name, `exclude` left out). Throws when a
 * file holds an anonymous operation or a fragment, or when two operations share a name — an
 * example that cannot be run on its own by name is not an example.
 */
export async function loadExampleOperations(dir: URL = EXAMPLES_DIR, exclude: readonly string[] = []): Promise<ExampleOperation[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".graphql") && !exclude.includes(f)).sort();
  const operations: ExampleOperation[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const text = await readFile(new URL(file, dir), "utf8");
    let previousEnd = 0;
    for (const definition of parse(text).definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) {
        throw new Error(`examples/${file}: only operations belong in examples (found ${definition.kind})`);
      }
      const name = definition.name?.value;
      if (!name) throw new Error(`examples/${file}: every example operation needs a name`);
      if (seen.has(name)) throw new Error(`examples/${file}: operation name ${name} is used twice`);
      seen.add(name);
      const end = definition.loc!.end;
      const source = `${text.slice(previousEnd, end).trim()}\n`;
      operations.push({
        name,
        type: definition.operation,
        file,
        // From the end of the previous operation: the comment lines above this one belong to it.
        source,
        requiredVariables: (definition.variableDefinitions ?? [])
          .filter((v) => v.type.kind === Kind.NON_NULL_TYPE && !v.defaultValue)
          .map((v) => ({ name: v.variable.name.value, type: text.slice(v.type.loc!.start, v.type.loc!.end) })),
        token: USER_TOKEN_MARKER.test(text.slice(previousEnd, definition.loc!.start)) ? "user" : "app",
      });
      previousEnd = end;
    }
  }
  return operations;
}
