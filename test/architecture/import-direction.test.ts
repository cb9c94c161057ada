/**
 * Imports point down. Every .ts file under src/ and mocks/ is parsed (TypeScript's own parser, so
 * comments and strings cannot fool it) for its import specifiers: `import`, `import type`,
 * `export … from`, `import x = require()`, `import("…")` types and dynamic `import()` calls. The
 * folder-level graph (top folder under src/; files directly in src/ are `(root)`) must follow
 * LAYERS; the mock banks, the test oracle for the adapters, share no code with the gateway.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

/**
 * The layers of src/, top first. A folder may import its own files and folders in layers below
 * its own; folders that share a layer are independent (neither imports the other).
 */
const LAYERS: readonly (readonly string[])[] = [
  ["cli"], // commands: start everything
  ["server"], // HTTP and WebSocket transports, composition of the services (services.ts)
  ["playground", "web"], // GraphiQL page and the dev-token endpoint; the person's pages (sign-in, /connect, /connections), server-rendered
  ["schema", "demo"], // GraphQL types and resolvers; demo seed data
  ["request"], // what one request sees: GatewayContext, the shape of GatewayServices
  ["webhooks", "connect", "connections", "payments"], // payment intents (limits, idempotency, status, submission through each bank's payment rail); bank webhook intake: verify, dedupe, hand to realtime; connect sessions (apps ask a person, through Bankgraph's pages); the person's dashboard use cases (/connections)
  ["realtime"], // pub/sub, bank-event routing, consent-expiry sweep
  ["links", "loaders", "apps", "receipts", "passkeys"], // linking a bank; per-request bank reads (DataLoaders, cursors); registered apps; signed consent receipts; the person's passkeys (WebAuthn)
  ["consent", "observability", "access-log"], // consent rules and decisions; logs, metrics, readiness; the access log's signed heads and its verification
  ["resilience", "signing"], // retry, breaker, bulkhead around bank calls; the gateway's signing keys (JWS)
  ["auth", "cache", "providers", "store"], // tokens; upstream cache; bank adapters; persistence
  ["domain", "(root)"], // domain types and money; clock, config, errors, the bounded map of in-process caches
];

/**
 * Files whose upward imports are allowed for now, because another change moves them. The lead
 * empties this list when those land; an entry that is no longer needed fails the test.
 */
const PENDING_EXCEPTIONS: readonly string[] = [];

interface ImportEdge {
  /** Importing file, relative to the repository, with `/`. */
  file: string;
  specifier: string;
  /** Imported path, relative to the repository (no extension juggling: folders are what count). */
  target: string;
  /** `import("…")` evaluated at run time; everything else is resolved when the file loads (or is a type). */
  dynamic: boolean;
}

/** The .ts files under `folder` (relative to the repository, with `/`). */
function tsFiles(folder: string): string[] {
  return readdirSync(join(REPO, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return tsFiles(path);
    return entry.isFile() && /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function importsOf(file: string): ImportEdge[] {
  const source = ts.createSourceFile(file, readFileSync(join(REPO, file), "utf8"), ts.ScriptTarget.Latest, true);
  const edges: ImportEdge[] = [];
  const add = (node: ts.Node | undefined, dynamic: boolean) => {
    if (!node || !ts.isStringLiteralLike(node)) return;
    const specifier = node.text;
    if (!specifier.startsWith(".")) return; // a package
    const target = relative(REPO, resolve(REPO, dirname(file), specifier))
      .split(sep)
      .join("/");
    edges.push({ file, specifier, target, dynamic });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier, false);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, false);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], true);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** `server`, `schema`, … for src/ files, `(root)` for files directly in src/, `mocks` for mocks/, else the path. */
function folderOf(path: string): string {
  const parts = path.split("/");
  if (parts[0] === "mocks") return "mocks";
  if (parts[0] !== "src") return path;
  return parts.length === 2 ? "(root)" : parts[1]!;
}

const layerOf = new Map(LAYERS.flatMap((folders, index) => folders.map((folder) => [folder, index] as const)));
const describeEdge = (e: ImportEdge) => `${e.file} imports "${e.specifier}" (${folderOf(e.file)} → ${folderOf(e.target)})`;

const srcEdges = tsFiles("src").flatMap(importsOf);
const mockEdges = tsFiles("mocks").flatMap(importsOf);

/** Cross-folder edges inside src/ that go up a layer or across one, with why. */
function layerViolations(edges: readonly ImportEdge[]): Array<{ edge: ImportEdge; message: string }> {
  const found: Array<{ edge: ImportEdge; message: string }> = [];
  for (const edge of edges) {
    if (!edge.target.startsWith("src/")) continue;
    const from = folderOf(edge.file);
    const to = folderOf(edge.target);
    if (from === to) continue;
    const fromLayer = layerOf.get(from)!;
    const toLayer = layerOf.get(to)!;
    if (toLayer < fromLayer) {
      found.push({ edge, message: `${describeEdge(edge)}: ${to} is in a layer above ${from}` });
    } else if (toLayer === fromLayer) {
      found.push({ edge, message: `${describeEdge(edge)}: ${from} and ${to} share a layer, so neither may import the other` });
    }
  }
  return found;
}

describe("import direction", () => {
  it("reads the imports it is meant to check", () => {
    expect(srcEdges.length).toBeGreaterThan(200);
    expect(mockEdges.length).toBeGreaterThan(50);
    // The CLI's on-demand mock loading is seen, and seen as dynamic.
    expect(srcEdges.some((e) => e.file === "src/cli/serve.command.ts" && e.dynamic && folderOf(e.target) === "mocks")).toBe(true);
  });

  it("places every folder of src/ in exactly one layer", () => {
    const folders = new Set(tsFiles("src").map(folderOf));
    const unplaced = [...folders].filter((folder) => !layerOf.has(folder));
    expect(unplaced, "add these folders to LAYERS").toEqual([]);
    expect(LAYERS.flat().length, "a folder listed twice in LAYERS").toBe(layerOf.size);
  });

  it("mocks/ imports nothing from src/ (the oracle shares no code with what it checks)", () => {
    const offending = mockEdges.filter((e) => !e.target.startsWith("mocks/")).map(describeEdge);
    expect(offending).toEqual([]);
  });

  it("src/ loads mocks/ only with a dynamic import() from src/cli/", () => {
    const offending = srcEdges.filter((e) => e.target.startsWith("mocks/") && !(e.dynamic && e.file.startsWith("src/cli/"))).map(describeEdge);
    expect(offending).toEqual([]);
  });

  it("src/ imports nothing outside src/ but the mocks", () => {
    const offending = srcEdges.filter((e) => !e.target.startsWith("src/") && !e.target.startsWith("mocks/")).map(describeEdge);
    expect(offending).toEqual([]);
  });

  it("folders of src/ import only folders in layers below their own", () => {
    const offending = layerViolations(srcEdges)
      .filter(({ edge }) => !PENDING_EXCEPTIONS.includes(edge.file))
      .map(({ message }) => message);
    expect(offending).toEqual([]);
  });

  it("lists in PENDING_EXCEPTIONS only files that still need it", () => {
    const stillNeeded = new Set(layerViolations(srcEdges).map(({ edge }) => edge.file));
    const stale = PENDING_EXCEPTIONS.filter((file) => !stillNeeded.has(file));
    expect(stale, "remove these from PENDING_EXCEPTIONS").toEqual([]);
  });
});
