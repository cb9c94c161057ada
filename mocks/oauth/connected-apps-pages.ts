/**
 * The bank's "connected apps" page, on the bank's own origin and in its look: the person signs in
 * (the same username and password as on the authorization pages), sees every client that holds
 * access — its name, the accounts it sees (masked), what it may see, when it was granted and when it
 * ends — and can remove one. Removing is the bank's business: it revokes the grant (every token of it
 * is refused from then on) and tells the client (`removeAccess`, a signed security event).
 *
 * Plain HTML forms, no script (CSP `default-src 'none'`). The sign-in is a cookie holding the
 * customer id and its end, HMAC-signed; every form carries a token bound to that session (or, on
 * the sign-in form, to a nonce cookie), so a page on another site cannot post any of them. A
 * consent of another customer answers exactly like one that does not exist.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";
import type { BankDataset } from "../data/dataset.js";
import { type BankAuthorization, type BankLook, itemsOf } from "./bank-authorization.js";
import { type BankConsent, BankConsents } from "./bank-consents.js";
import { html, sendPage } from "./bank-html.js";
import { mask } from "./bank-pages.js";
import type { RegisteredClients } from "./registered-clients.js";

/** Where the page lives on the bank's origin. */
export const CONNECTED_APPS_PATH = "/connected-apps";
const SESSION_COOKIE = "bank_session";
const NONCE_COOKIE = "bank_signin_nonce";
const SESSION_MINUTES = 15;

export interface ConnectedAppsOptions {
  bankName: string;
  look: BankLook;
  authorization: BankAuthorization;
  data: BankDataset;
  consents: BankConsents;
  clients: RegisteredClients;
  /** Revokes the consent at the bank and tells its client; the page answers once the revocation holds. */
  removeAccess(consent: BankConsent): void;
}

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

export function connectedAppsPages(options: ConnectedAppsOptions): Router {
  const { look, data, consents, clients } = options;
  const secret = randomBytes(32);
  const sign = (text: string) => createHmac("sha256", secret).update(text).digest("base64url");
  const same = (expected: string, given: unknown) => {
    const a = Buffer.from(expected);
    const b = Buffer.from(typeof given === "string" ? given : "");
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const cookie = (req: Request, name: string) =>
    (req.get("cookie") ?? "")
      .split(";")
      .map((part) => part.trim().split("="))
      .find(([key]) => key === name)?.[1];
  const setCookie = (res: Response, name: string, value: string, maxAgeSeconds: number) =>
    res.append("Set-Cookie", `${name}=${value}; Path=${CONNECTED_APPS_PATH}; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}`);

  /** The signed-in customer and the session's form token, or undefined. */
  const sessionOf = (req: Request): { customerId: string; formToken: string } | undefined => {
    const [customerId, ends, mac] = (cookie(req, SESSION_COOKIE) ?? "").split(".");
    if (!customerId || !ends || !mac || !same(sign(`session:${customerId}:${ends}`), mac) || Number(ends) <= Date.now()) return undefined;
    if (!data.customer(customerId)) return undefined;
    return { customerId, formToken: sign(`form:${customerId}:${ends}`) };
  };

  const renderSignIn = (res: Response, error?: string, username = "") => {
    const nonce = randomBytes(16).toString("base64url");
    setCookie(res, NONCE_COOKIE, nonce, 600);
    sendPage(
      res,
      look,
      `Sign in to ${options.bankName}`,
      html`<p>Sign in to see the apps that can see your ${options.bankName} accounts, and to remove their access.</p>
        ${error ? html`<p class="error" role="alert">${error}</p>` : ""}
        <form method="post" action="${CONNECTED_APPS_PATH}/login">
          <input type="hidden" name="csrf" value="${sign(`signin:${nonce}`)}" />
          <label for="username">Username</label><input id="username" name="username" type="text" autocomplete="username" required value="${username}" />
          <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required />
          <div class="actions"><button class="primary" type="submit">Sign in</button></div>
        </form>`,
      { status: error ? 401 : 200 },
    );
  };

  const expired = (res: Response) =>
    sendPage(res, look, "This page has expired", html`<p><a href="${CONNECTED_APPS_PATH}">Sign in again</a> to manage your connected apps.</p>`, {
      status: 403,
    });

  const router = express.Router();

  router.get(CONNECTED_APPS_PATH, (req, res) => {
    const session = sessionOf(req);
    if (!session) return renderSignIn(res);
    const live = consents.ofCustomer(session.customerId).filter((c) => BankConsents.isLive(c));
    live.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const removed = typeof req.query.removed === "string" ? consents.get(req.query.removed) : undefined;
    const removedName = removed?.customerId === session.customerId && removed.status === "Revoked" ? clientName(removed) : undefined;
    const table = itemsOf(options.authorization);
    const owned = data.accountsOf(session.customerId);
    sendPage(
      res,
      look,
      "Connected apps",
      html`${removedName ? html`<p class="notice" role="status">${removedName} can no longer see your ${options.bankName} accounts.</p>` : ""}
        <p>
          These apps can see some of your ${options.bankName} accounts because you allowed it. Removing an app's access takes effect at once, and we tell the
          app.
        </p>
        ${live.length === 0 ? html`<p>No app can see your accounts.</p>` : ""}
        ${live.map((consent) => {
          const name = clientName(consent);
          const accounts = owned.filter((a) => consent.accountIds?.includes(a.id));
          return html`<section class="connected-app" aria-labelledby="app-${consent.id}">
            <h2 id="app-${consent.id}">${name}</h2>
            <dl>
              <dt>Accounts</dt>
              <dd>${accounts.map((a) => `${a.name} ${mask(a)}`).join(", ")}</dd>
              <dt>Can see</dt>
              <dd>${consent.items.map((item) => table[item]?.label ?? item).join("; ")}</dd>
              <dt>Granted on</dt>
              <dd>${dateFormat.format(new Date(consent.createdAt))}</dd>
              <dt>Ends on</dt>
              <dd>${dateFormat.format(new Date(consent.expiresAt))}</dd>
            </dl>
            <form method="post" action="${CONNECTED_APPS_PATH}/remove">
              <input type="hidden" name="csrf" value="${session.formToken}" />
              <input type="hidden" name="consent" value="${consent.id}" />
              <button class="secondary" type="submit" aria-describedby="app-${consent.id}">Remove access</button>
            </form>
          </section>`;
        })}
        <form method="post" action="${CONNECTED_APPS_PATH}/logout">
          <input type="hidden" name="csrf" value="${session.formToken}" />
          <div class="actions"><button class="secondary" type="submit">Sign out</button></div>
        </form>`,
    );
  });

  router.post(`${CONNECTED_APPS_PATH}/login`, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const nonce = cookie(req, NONCE_COOKIE);
    if (!nonce || !same(sign(`signin:${nonce}`), body.csrf)) return expired(res);
    const username = typeof body.username === "string" ? body.username : "";
    const customer = data.login(username, typeof body.password === "string" ? body.password : "");
    if (!customer) return renderSignIn(res, "The username or password is incorrect.", username);
    const ends = Date.now() + SESSION_MINUTES * 60_000;
    setCookie(res, NONCE_COOKIE, "", 0);
    setCookie(res, SESSION_COOKIE, `${customer.id}.${ends}.${sign(`session:${customer.id}:${ends}`)}`, SESSION_MINUTES * 60);
    res.redirect(303, CONNECTED_APPS_PATH);
  });

  router.post(`${CONNECTED_APPS_PATH}/remove`, (req, res) => {
    const session = sessionOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!session || !same(session.formToken, body.csrf)) return expired(res);
    const consent = typeof body.consent === "string" ? consents.get(body.consent) : undefined;
    if (!consent || consent.customerId !== session.customerId || !BankConsents.isLive(consent)) {
      return sendPage(
        res,
        look,
        "Nothing to remove",
        html`<p>That app cannot see your accounts. <a href="${CONNECTED_APPS_PATH}">Back to connected apps</a></p>`,
        {
          status: 404,
        },
      );
    }
    options.removeAccess(consent);
    res.redirect(303, `${CONNECTED_APPS_PATH}?removed=${encodeURIComponent(consent.id)}`);
  });

  router.post(`${CONNECTED_APPS_PATH}/logout`, (req, res) => {
    const session = sessionOf(req);
    if (!session || !same(session.formToken, (req.body as Record<string, unknown> | undefined)?.csrf)) return expired(res);
    setCookie(res, SESSION_COOKIE, "", 0);
    res.redirect(303, CONNECTED_APPS_PATH);
  });

  function clientName(consent: BankConsent): string {
    return clients.name(consent.clientId) ?? consent.clientId;
  }

  return router;
}
