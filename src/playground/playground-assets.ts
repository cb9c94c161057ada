/**
 * The playground's static files: GraphiQL 3, React 18 and graphql-ws UMD builds straight from node_modules
 * (no CDN — the playground works offline) and our own small boot script and stylesheet.
 * Vendor URLs carry the package version, so they can be cached forever.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** The installed package's folder and version (graphiql's `exports` hide its UMD files from `require.resolve`). */
function packageOf(name: string): { dir: string; version: string } {
  const manifest = require.resolve(`${name}/package.json`);
  return { dir: dirname(manifest), version: (require(manifest) as { version: string }).version };
}

/** One file the playground serves. */
export interface PlaygroundAsset {
  /** Absolute path on disk. */
  path: string;
  /** Versioned vendor files never change under their URL; our own files are revalidated. */
  immutable: boolean;
}

/** URL prefix of every playground asset. */
export const ASSETS_PREFIX = "/playground/assets/";

const OWN_DIR = dirname(fileURLToPath(import.meta.url));

/** URL path (below {@link ASSETS_PREFIX}) → file. Only these are served; nothing else on disk is reachable. */
export function playgroundAssets(): Map<string, PlaygroundAsset> {
  const react = packageOf("react");
  const reactDom = packageOf("react-dom");
  const graphiql = packageOf("graphiql");
  const graphqlWs = packageOf("graphql-ws");
  const vendor = (pkg: { dir: string; version: string }, name: string, file: string): [string, PlaygroundAsset] => [
    `${name}-${pkg.version}/${file.split("/").pop()}`,
    { path: join(pkg.dir, file), immutable: true },
  ];
  return new Map([
    vendor(react, "react", "umd/react.production.min.js"),
    vendor(reactDom, "react-dom", "umd/react-dom.production.min.js"),
    vendor(graphiql, "graphiql", "graphiql.min.js"),
    vendor(graphiql, "graphiql", "graphiql.min.css"),
    vendor(graphqlWs, "graphql-ws", "umd/graphql-ws.min.js"),
    ["playground.js", { path: join(OWN_DIR, "browser/playground.js"), immutable: false }],
    ["playground.css", { path: join(OWN_DIR, "browser/playground.css"), immutable: false }],
  ]);
}
