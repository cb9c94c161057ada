/**
 * Bankgraph's own pages for the person, mounted on the gateway's express app: the stylesheet,
 * the page session, sign-in, and the page flows (/connect …). Every page is server-rendered HTML
 * under a strict CSP with CSRF-protected forms; see page-security.ts and csrf.ts.
 */
import express, { type NextFunction, type Request, type Response } from "express";
import { readFileSync } from "node:fs";
import type { Clock } from "../clock.js";
import type { GatewayConfig } from "../config.js";
import type { Logger } from "../observability/logger.js";
import type { Database } from "../store/database.js";
import type { TokenCipher } from "../store/token-cipher.js";
import { WebSessionRepository } from "../store/web-session-repository.js";
import { IdentityClient } from "./identity-client.js";
import { messagePage, STYLESHEET_PATH } from "./page-layout.js";
import { pageScriptsRouter } from "./page-scripts.js";
import { sendPage } from "./page-security.js";
import { signInRouter, type SignInDeps } from "./sign-in.router.js";
import { loadWebSession } from "./web-session.js";

/** Where Bankgraph's pages live; the session cookie is read only under these. */
export const PAGE_PATHS = ["/signin", "/signout", "/connect", "/connections", "/passkeys", "/payments"];

const STYLESHEET = readFileSync(new URL("./assets/bankgraph.css", import.meta.url), "utf8");

export interface WebRouterOptions {
  config: GatewayConfig;
  db: Database;
  clock: Clock;
  cipher: TokenCipher;
  logger: Logger;
  /** This gateway's public origin; known once it listens (PUBLIC_URL or http://localhost:<port>). */
  publicUrl: () => string;
  /** Extra page flows (the connect pages), mounted after sign-in with the session loaded. */
  flows?: (shared: WebShared) => express.Router[];
  onSignInCancelled?: SignInDeps["onCancelled"];
}

/** What the page flows share with sign-in. */
export interface WebShared {
  sessions: WebSessionRepository;
  publicUrl: () => string;
}

export function createWebRouter(options: WebRouterOptions): express.Router {
  const { config } = options;
  const sessions = new WebSessionRepository(options.db, options.clock);
  let identity: IdentityClient | undefined;
  const identityClient = () => {
    const { issuer, clientId, clientSecret } = config.web.identity;
    if (!issuer) return undefined;
    identity ??= new IdentityClient({
      issuer,
      clientId,
      clientSecret,
      redirectUri: `${options.publicUrl()}/signin/callback`,
      allowHttp: !config.production,
    });
    return identity;
  };

  const router = express.Router();
  router.get(STYLESHEET_PATH, (_req, res) => {
    res.type("text/css").set({ "x-content-type-options": "nosniff", "cache-control": "no-cache" }).send(STYLESHEET);
  });
  router.use(pageScriptsRouter());
  const pages = express.Router();
  // Only page paths read the session (a GraphQL request never touches web_sessions).
  pages.use(PAGE_PATHS, loadWebSession({ sessions, production: config.production, ttlMs: config.web.sessionTtlMs }));
  pages.use(
    signInRouter({
      sessions,
      cipher: options.cipher,
      identity: identityClient,
      production: config.production,
      sessionTtlMs: config.web.sessionTtlMs,
      logger: options.logger,
      onCancelled: options.onSignInCancelled,
    }),
  );
  for (const flow of options.flows?.({ sessions, publicUrl: options.publicUrl }) ?? []) pages.use(flow);
  // A page that failed unexpectedly: a plain page, the details only in the log.
  pages.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    options.logger.error({ err: error }, "page failed");
    sendPage(res, messagePage({ title: "Something went wrong", message: "We could not show this page. Nothing was shared. Please try again." }), {
      status: 500,
    });
  });
  router.use(pages);
  return router;
}
