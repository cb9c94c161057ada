/**
 * The only scripts Bankgraph's pages load, served from this gateway (the CSP allows 'self' and
 * nothing inline): @simplewebauthn/browser's UMD bundle straight from node_modules — it does the
 * WebAuthn encoding, we write none of it — and our small passkey page script (src/web/browser/).
 * Only these files are served; nothing else on disk is reachable.
 */
import express from "express";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** The installed @simplewebauthn/browser (its `exports` hide the bundle and package.json: found from its main, script/index.js). */
function webAuthnBundle(): { version: string; path: string } {
  const dir = dirname(dirname(require.resolve("@simplewebauthn/browser")));
  const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string };
  return { version, path: join(dir, "dist/bundle/index.umd.min.js") };
}

const bundle = webAuthnBundle();

/** URLs of the page scripts; the vendor bundle's carries its version, so it may be cached for good. */
export const PAGE_SCRIPTS = {
  webAuthn: `/web/assets/simplewebauthn-browser-${bundle.version}.js`,
  passkeyPages: "/web/assets/passkey-pages.js",
} as const;

export function pageScriptsRouter(): express.Router {
  const files = new Map<string, { text: string; immutable: boolean }>([
    [PAGE_SCRIPTS.webAuthn, { text: readFileSync(bundle.path, "utf8"), immutable: true }],
    [PAGE_SCRIPTS.passkeyPages, { text: readFileSync(new URL("./browser/passkey-pages.js", import.meta.url), "utf8"), immutable: false }],
  ]);
  const router = express.Router();
  for (const [path, file] of files) {
    router.get(path, (_req, res) => {
      res
        .type("text/javascript")
        .set({ "x-content-type-options": "nosniff", "cache-control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache" })
        .send(file.text);
    });
  }
  return router;
}
