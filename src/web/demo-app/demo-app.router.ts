/**
 * The demo messenger app, served by the gateway under `npm start` only (never in production), so
 * the whole journey can be tried in a browser: it is an APP, not Bankgraph — its own look, its own
 * cookie — and it talks to Bankgraph the way any app does: GraphQL over HTTP with its own token
 * (`createConnectSession`), then the redirect back to `/demo-app/callback` with its `state`, then a
 * read of the accounts the person shared.
 */
import express, { type Request, type Response } from "express";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { mintDevToken } from "../../auth/dev-token.js";
import type { GatewayConfig } from "../../config.js";
import { html, type Html } from "../html.js";
import { sendPage } from "../page-security.js";

export const DEMO_APP_PATH = "/demo-app/";
const STATE_COOKIE = "demo_app_state";
const CSS = `body{font-family:Georgia,serif;background:#fdf6ec;color:#2d2012;margin:0}main{max-width:34rem;margin:2rem auto;background:#fff;border:2px solid #e3b778;border-radius:14px;padding:1.5rem}
h1{color:#7a3e00}.bubble{background:#ffe9c7;border-radius:12px;padding:.8rem 1rem;margin:.6rem 0}button{font:inherit;background:#7a3e00;color:#fff;border:0;border-radius:20px;padding:.6rem 1.2rem;cursor:pointer}
button:focus-visible,a:focus-visible{outline:3px solid #0057b8;outline-offset:2px}.note{color:#5c4a33;font-size:.9rem}`;

export interface DemoAppOptions {
  config: GatewayConfig;
  /** This gateway's public origin (GraphQL at `<origin>/graphql`, pages at `<origin>/connect/…`). */
  publicUrl: () => string;
  /** The demo app's client id and the person it acts for. */
  clientId: string;
  userId: string;
}

function page(title: string, body: Html): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Messenger demo</title>
        <link rel="stylesheet" href="/demo-app/app.css" />
      </head>
      <body>
        <main>
          <p class="note">Messenger demo — an example app that uses Bankgraph. This page is the app, not Bankgraph.</p>
          ${body}
        </main>
      </body>
    </html>`;
}

export function demoAppRouter(options: DemoAppOptions): express.Router {
  const router = express.Router();
  const signInOrigin = options.config.web.identity.issuer ? [options.config.web.identity.issuer] : [];
  const token = () =>
    mintDevToken({
      userId: options.userId,
      clientId: options.clientId,
      scopes: [],
      secret: options.config.jwt.secret!,
      issuer: options.config.jwt.issuer,
      audience: options.config.jwt.audience,
    });
  const graphql = async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${options.publicUrl()}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await token()}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
  };

  router.get("/demo-app/app.css", (_req, res) => {
    res.type("text/css").set("x-content-type-options", "nosniff").send(CSS);
  });

  router.get("/demo-app/", (_req, res) => {
    sendPage(
      res,
      page(
        "Chat",
        html`<h1>Messenger</h1>
          <div class="bubble">Hi ${options.userId}! Want to see your balances here in the chat?</div>
          <form method="post" action="/demo-app/start"><button type="submit">Connect your bank accounts</button></form>
          <p class="note">You will sign in at Bankgraph, read what Messenger asks for, and log in at your bank on the bank's own page.</p>`,
      ),
      // The form's answer redirects to Bankgraph's connect page, which redirects on to sign-in.
      { formTargets: signInOrigin },
    );
  });

  router.post("/demo-app/start", async (_req: Request, res: Response) => {
    const state = randomBytes(16).toString("base64url");
    const result = await graphql<{ createConnectSession: { url: string } }>(
      `
        mutation ($input: CreateConnectSessionInput!) {
          createConnectSession(input: $input) {
            url
          }
        }
      `,
      {
        input: {
          purpose: "ACCOUNT_OVERVIEW",
          scopes: ["accounts:read", "balances:read"],
          durationDays: 90,
          redirectUri: `${options.publicUrl()}/demo-app/callback`,
          state,
        },
      },
    );
    if (!result.data) {
      return sendPage(
        res,
        page(
          "Could not connect",
          html`<h1>Could not start</h1>
            <p>${result.errors?.[0]?.message ?? "Unknown error"}</p>`,
        ),
        { status: 502 },
      );
    }
    res.cookie(STATE_COOKIE, state, { httpOnly: true, sameSite: "lax", path: "/demo-app/" });
    res.redirect(303, result.data.createConnectSession.url);
  });

  router.get("/demo-app/callback", async (req: Request, res: Response) => {
    const expected = /(?:^|;\s*)demo_app_state=([^;]+)/.exec(req.get("cookie") ?? "")?.[1] ?? "";
    const state = typeof req.query["state"] === "string" ? req.query["state"] : "";
    const matches = expected.length > 0 && expected.length === state.length && timingSafeEqual(Buffer.from(expected), Buffer.from(state));
    if (!matches)
      return sendPage(
        res,
        page(
          "Unexpected answer",
          html`<h1>That answer was not for us</h1>
            <p>The state did not match.</p>`,
        ),
        { status: 400 },
      );
    res.clearCookie(STATE_COOKIE, { path: "/demo-app/" });
    if (req.query["error"]) {
      return sendPage(
        res,
        page(
          "Not connected",
          html`<h1>Not connected</h1>
            <div class="bubble">No problem — nothing was shared (${typeof req.query["error"] === "string" ? req.query["error"] : "error"}).</div>`,
        ),
      );
    }
    const read = await graphql<{
      accounts: Array<{ name: string; mask: string; institution: { name: string }; balance: { current: { amount: string; currency: string } } | null } | null>;
    }>(`
      {
        accounts {
          name
          mask
          institution {
            name
          }
          balance {
            current {
              amount
              currency
            }
          }
        }
      }
    `);
    const accounts = (read.data?.accounts ?? []).filter((a) => a !== null);
    sendPage(
      res,
      page(
        "Connected",
        html`<h1>Connected</h1>
          <div class="bubble">Thanks! Here is what Messenger can see now:</div>
          <ul>
            ${accounts.map((a) => html`<li>${a.institution.name} · ${a.name} ${a.mask}${a.balance ? html` — ${a.balance.current.amount} ${a.balance.current.currency}` : ""}</li>`)}
          </ul>
          <p><a href="/demo-app/">Back to the chat</a></p>`,
      ),
    );
  });
  return router;
}
