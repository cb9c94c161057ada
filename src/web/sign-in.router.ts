/**
 * The person's sign-in on Bankgraph's pages. GET /signin?return_to=/path starts an authorization
 * code + PKCE flow at the identity provider with a fresh, not-yet-signed-in session holding state,
 * nonce and the (encrypted) verifier; GET /signin/callback finishes it, replaces the session with a
 * signed-in one (a new id: no session fixation) and goes back to `return_to`.
 */
import express, { type Request, type Response } from "express";
import type { Logger } from "../observability/logger.js";
import type { TokenCipher } from "../store/token-cipher.js";
import type { WebSessionRepository } from "../store/web-session-repository.js";
import { csrfField, requireCsrf } from "./csrf.js";
import { html } from "./html.js";
import { type IdentityClient, SignInError } from "./identity-client.js";
import { layout, messagePage } from "./page-layout.js";
import { sendPage } from "./page-security.js";
import { knownTimeZone } from "./time-zone.js";
import { clearSessionCookie, currentSession, setSessionCookie } from "./web-session.js";

const SIGN_IN_TTL_MS = 10 * 60_000;

export interface SignInDeps {
  sessions: WebSessionRepository;
  cipher: TokenCipher;
  /** The client of the identity provider; undefined when none is configured. */
  identity: () => IdentityClient | undefined;
  production: boolean;
  sessionTtlMs: number;
  logger: Logger;
  /**
   * The person pressed Cancel at the identity provider while going to `returnTo`: the page that
   * sent them may answer (the connect flow returns to the app with access_denied). False = not handled.
   */
  onCancelled?: (returnTo: string, res: Response) => Promise<boolean>;
}

/** A path on this gateway, never another site (`//evil`, `/\evil`, absolute URLs are refused). */
export function safeReturnTo(value: unknown): string {
  return typeof value === "string" && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : "/connections";
}

/** Where a page that needs a signed-in person sends one who is not. */
export const signInUrl = (returnTo: string) => `/signin?return_to=${encodeURIComponent(returnTo)}`;

export function signInRouter(deps: SignInDeps): express.Router {
  const router = express.Router();
  const notConfigured = (res: Response) =>
    sendPage(res, messagePage({ title: "Sign-in is not available", message: "This Bankgraph has no identity provider configured. Please try again later." }), {
      status: 503,
    });

  router.get("/signin", async (req: Request, res: Response) => {
    const identity = deps.identity();
    if (!identity) return notConfigured(res);
    const returnTo = safeReturnTo(req.query["return_to"]);
    let start;
    try {
      start = await identity.start();
    } catch (error) {
      deps.logger.warn({ err: error }, "identity provider unreachable");
      return sendPage(
        res,
        messagePage({ title: "Sign-in is not available", message: "We could not reach the sign-in service. Please try again in a minute." }),
        {
          status: 503,
        },
      );
    }
    const session = await deps.sessions.create(SIGN_IN_TTL_MS, {
      signIn: { state: start.state, nonce: start.nonce, codeVerifierEncrypted: deps.cipher.encrypt(start.codeVerifier), returnTo },
    });
    setSessionCookie(res, session, deps.production);
    res.redirect(303, start.url);
  });

  router.get("/signin/callback", async (req: Request, res: Response) => {
    const identity = deps.identity();
    if (!identity) return notConfigured(res);
    const session = currentSession(res);
    const pending = session ? await deps.sessions.takeSignIn(session.id) : null;
    if (!session || !pending) {
      return sendPage(
        res,
        messagePage({
          title: "This sign-in has expired",
          message: "We could not match this sign-in to one you started in this browser, so nothing was done. Please start again from the app.",
        }),
        { status: 400 },
      );
    }
    const callback = new URL(req.originalUrl, "http://callback.invalid");
    try {
      const { sub, zoneinfo } = await identity.complete(callback, {
        state: pending.state,
        nonce: pending.nonce,
        codeVerifier: deps.cipher.decrypt(pending.codeVerifierEncrypted),
      });
      await deps.sessions.end(session.id);
      setSessionCookie(res, await deps.sessions.create(deps.sessionTtlMs, { userId: sub, timeZone: knownTimeZone(zoneinfo) }), deps.production);
      res.redirect(303, pending.returnTo);
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      if (error.reason === "cancelled" && deps.onCancelled && (await deps.onCancelled(pending.returnTo, res))) return;
      sendPage(res, messagePage({ title: error.reason === "cancelled" ? "Sign-in cancelled" : "Sign-in failed", message: error.message }), {
        status: error.reason === "cancelled" ? 200 : 400,
      });
    }
  });

  // Who is signed in here (and the sign-out form): a page to land on after signing in.
  router.get("/signin/whoami", (_req: Request, res: Response) => {
    const session = currentSession(res);
    if (!session?.userId) return res.redirect(303, signInUrl("/signin/whoami"));
    sendPage(
      res,
      layout({
        title: "You are signed in",
        signedInAs: session.userId,
        main: html`<h1>You are signed in</h1>
          <p>You are signed in to Bankgraph as <strong>${session.userId}</strong>.</p>
          <form method="post" action="/signout">${csrfField(session.csrfToken)}<button class="secondary" type="submit">Sign out</button></form>`,
      }),
    );
  });

  router.post("/signout", express.urlencoded({ extended: false, limit: "4kb" }), requireCsrf, async (_req: Request, res: Response) => {
    const session = currentSession(res);
    if (session) await deps.sessions.end(session.id);
    clearSessionCookie(res, deps.production);
    sendPage(res, messagePage({ title: "Signed out", message: "You are signed out of Bankgraph." }));
  });

  return router;
}
