/**
 * The GraphiQL playground, served by the gateway itself from npm-installed assets (no CDN, works
 * offline): `GET /playground`, and `GET /graphql` when a browser asks for HTML. Mounted only
 * outside production (see app.ts), so in production both answer 404 / go to the GraphQL server.
 * In dev mode with demo data, every tab carries a fresh demo token for alice / messenger-demo.
 */
import { Router, type Request, type Response } from "express";
import { mintDevToken } from "../auth/dev-token.js";
import type { GatewayConfig } from "../config.js";
import { CONSENT_MANAGE_SCOPE } from "../consent/scopes.js";
import { DEMO_CLIENT, DEMO_USER } from "../demo/seed-demo.js";
import { loadExampleOperations, type ExampleOperation } from "./example-operations.js";
import { ASSETS_PREFIX, playgroundAssets } from "./playground-assets.js";
import { PLAYGROUND_CSP, renderPlaygroundPage } from "./playground-page.js";
import { FIRST_TAB, headersFor, tabsForExamples, type DemoTokens } from "./playground-tabs.js";

export interface PlaygroundOptions {
  config: GatewayConfig;
  /** The GraphQL endpoint. Default `/graphql`. */
  endpoint?: string;
  /** The examples to open as tabs. Default: read from `examples/` (none if it is missing). */
  examples?: readonly ExampleOperation[];
}

/** Demo tokens live as long as a working session; the page is never cached, so each load mints fresh ones. */
const DEMO_TOKEN_SECONDS = 12 * 3600;
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

async function demoTokens(config: GatewayConfig): Promise<DemoTokens | undefined> {
  const secret = config.jwt.secret;
  if (config.production || !config.demoData || !secret) return undefined;
  const mint = (scopes: string[]) =>
    mintDevToken({
      userId: DEMO_USER,
      clientId: DEMO_CLIENT.id,
      scopes,
      secret,
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      expiresInSeconds: DEMO_TOKEN_SECONDS,
    });
  return { app: await mint([]), user: await mint([CONSENT_MANAGE_SCOPE]) };
}

/** A browser navigating to the endpoint (not a GraphQL GET request, not an API client). */
function wantsPage(req: Request): boolean {
  return req.query["query"] === undefined && req.accepts(["application/json", "application/graphql-response+json", "text/html"]) === "text/html";
}

async function loadExamplesOrNone(): Promise<ExampleOperation[]> {
  try {
    return await loadExampleOperations();
  } catch (error) {
    // A deployment without examples/ still gets a working playground, just without tabs.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** Builds the playground's router (reads the examples once). */
export async function createPlaygroundRouter(options: PlaygroundOptions): Promise<Router> {
  const { config, endpoint = "/graphql" } = options;
  const examples = options.examples ?? (await loadExamplesOrNone());
  const assets = playgroundAssets();
  const assetUrls = [...assets.keys()].map((key) => `${ASSETS_PREFIX}${key}`);
  const router = Router();

  const sendPage = async (_req: Request, res: Response) => {
    const tokens = await demoTokens(config);
    const tabs = tabsForExamples(examples, tokens);
    const html = renderPlaygroundPage({
      endpoint,
      tabs: tabs.length
        ? tabs
        : [{ query: `# No examples found.\nquery ${FIRST_TAB} {\n  institutions { id name status }\n}\n`, variables: "", headers: headersFor("app", tokens) }],
      defaultHeaders: headersFor("app", tokens),
      stylesheets: assetUrls.filter((url) => url.endsWith(".css")),
      scripts: assetUrls.filter((url) => url.endsWith(".js")),
    });
    res
      .status(200)
      .set({
        ...SECURITY_HEADERS,
        "Content-Type": "text/html; charset=utf-8",
        // It carries demo tokens: never store it anywhere.
        "Cache-Control": "no-store",
        "Content-Security-Policy": PLAYGROUND_CSP,
        "X-Frame-Options": "DENY",
      })
      .send(html);
  };

  router.get("/playground", sendPage);
  router.get(endpoint, (req, res, next) => (wantsPage(req) ? sendPage(req, res) : next()));
  router.get(`${ASSETS_PREFIX}*file`, (req, res, next) => {
    const asset = assets.get(req.path.slice(ASSETS_PREFIX.length));
    if (!asset) return next();
    res.set({
      ...SECURITY_HEADERS,
      "Cache-Control": asset.immutable ? `public, max-age=${ONE_YEAR_SECONDS}, immutable` : "no-cache",
    });
    res.sendFile(asset.path, { cacheControl: false, dotfiles: "deny" }, (error) => {
      if (error && !res.headersSent) next(error);
    });
  });
  return router;
}
