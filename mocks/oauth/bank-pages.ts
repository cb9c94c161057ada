/**
 * A bank's own pages on its own origin: login, the consent confirmation that plays the request
 * back (Allow / Cancel, whole), and account selection. Plain HTML forms (no script), each bound
 * to the oidc-provider interaction twice over: the interaction cookie oidc-provider checks, and a
 * per-step HMAC of the interaction id in a hidden field (so a cross-site form cannot post, and the
 * account step can only be reached through Allow). Cancel on any page ends the interaction with
 * `access_denied`; oidc-provider then sends the person back with `error`, `state` and `iss`.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";
import type Provider from "oidc-provider";
import type { BankDataset } from "../data/dataset.js";
import type { MockAccount } from "../data/types.js";
import { type BankAuthorization, type BankLook, itemsOf, resourcesOpenedBy } from "./bank-authorization.js";
import type { BankConsents } from "./bank-consents.js";
import { html, sendPage, STYLESHEET_PATH, stylesheet } from "./bank-html.js";
import { requestedAccess } from "./requested-access.js";
import type { RegisteredClients } from "./registered-clients.js";

type Step = "login" | "allow" | "accounts" | "cancel";

/** Where these pages live on the bank's origin (each route below is one of them or under one). */
export const BANK_PAGE_PATHS = [STYLESHEET_PATH, "/interaction"] as const;

export interface BankPagesOptions {
  bankName: string;
  look: BankLook;
  authorization: BankAuthorization;
  data: BankDataset;
  consents: BankConsents;
  clients: RegisteredClients;
  provider(): Provider;
}

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

export function bankPages(options: BankPagesOptions): Router {
  const { look, authorization, data, consents, clients } = options;
  const secret = randomBytes(32);
  const tokenFor = (uid: string, step: Step) => createHmac("sha256", secret).update(`${uid}:${step}`).digest("base64url");
  const validToken = (uid: string, step: Step, given: unknown) => {
    const expected = Buffer.from(tokenFor(uid, step));
    const actual = Buffer.from(typeof given === "string" ? given : "");
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  };
  const router = express.Router();
  const css = stylesheet(look);

  router.get(STYLESHEET_PATH, (_req, res) => {
    res.type("css").set("Cache-Control", "public, max-age=300").send(css);
  });

  const details = async (req: Request, res: Response) => {
    const interaction = await options.provider().interactionDetails(req, res);
    const clientId = String(interaction.params.client_id);
    return {
      interaction,
      uid: interaction.uid,
      clientId,
      clientName: clients.name(clientId) ?? clientId,
      formTargets: clients.redirectOrigins(clientId),
      customerId: interaction.session?.accountId,
    };
  };

  const cancelButton = (uid: string) =>
    html`<button class="secondary" type="submit" formaction="/interaction/${uid}/cancel" formnovalidate name="cancel_token" value="${tokenFor(uid, "cancel")}">
      Cancel
    </button>`;

  const renderLogin = (res: Response, uid: string, clientName: string, formTargets: string[], error?: string, username = "") =>
    sendPage(
      res,
      look,
      `Sign in to ${options.bankName}`,
      html`<p>${clientName} asked to connect to your ${options.bankName} accounts. Sign in to continue.</p>
        ${error ? html`<p class="error" role="alert">${error}</p>` : ""}
        <form method="post" action="/interaction/${uid}/login">
          <input type="hidden" name="csrf" value="${tokenFor(uid, "login")}" />
          <label for="username">Username</label><input id="username" name="username" type="text" autocomplete="username" required value="${username}" />
          <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required />
          <div class="actions"><button class="primary" type="submit">Sign in</button>${cancelButton(uid)}</div>
        </form>`,
      { status: error ? 401 : 200, formTargets },
    );

  router.get("/interaction/:uid", async (req, res, next) => {
    try {
      const { interaction, uid, clientName, formTargets } = await details(req, res);
      if (interaction.prompt.name === "login") return renderLogin(res, uid, clientName, formTargets);
      const access = requestedAccess(authorization, consents, interaction);
      if (!access) return finish(req, res, { error: "invalid_request", error_description: "The request asks for nothing this bank can share" });
      const table = itemsOf(authorization);
      sendPage(
        res,
        look,
        `Allow ${clientName} to see your data?`,
        html`<p><strong>${clientName}</strong> is asking to see this from your ${options.bankName} accounts:</p>
          <ul>
            ${access.items.map((item) => html`<li>${table[item]?.label ?? item}</li>`)}
          </ul>
          <p>${access.historyFrom ? `Transactions from ${dateFormat.format(access.historyFrom)} onward.` : "All the transaction history we keep."}</p>
          <p>Access ends on ${dateFormat.format(access.expiresAt)}. You can stop it earlier at any time.</p>
          <p>Next, you choose which accounts to share.</p>
          <form method="post" action="/interaction/${uid}/allow">
            <input type="hidden" name="csrf" value="${tokenFor(uid, "allow")}" />
            <div class="actions"><button class="primary" type="submit">Allow</button>${cancelButton(uid)}</div>
          </form>`,
        { formTargets },
      );
    } catch (error) {
      next(error);
    }
  });

  router.post("/interaction/:uid/login", async (req, res, next) => {
    try {
      const { interaction, uid, clientName, formTargets } = await details(req, res);
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (interaction.prompt.name !== "login" || !validToken(uid, "login", body.csrf)) return refuse(res, formTargets);
      const username = typeof body.username === "string" ? body.username : "";
      const customer = data.login(username, typeof body.password === "string" ? body.password : "");
      if (!customer) return renderLogin(res, uid, clientName, formTargets, "The username or password is incorrect.", username);
      await options.provider().interactionFinished(req, res, { login: { accountId: customer.id } }, { mergeWithLastSubmission: false });
    } catch (error) {
      next(error);
    }
  });

  const renderAccounts = (res: Response, uid: string, clientName: string, formTargets: string[], accounts: MockAccount[], error?: string) =>
    sendPage(
      res,
      look,
      "Choose the accounts to share",
      html`<p>${clientName} will see only the accounts you leave ticked.</p>
        ${error ? html`<p class="error" role="alert">${error}</p>` : ""}
        <form method="post" action="/interaction/${uid}/accounts">
          <input type="hidden" name="csrf" value="${tokenFor(uid, "accounts")}" />
          <fieldset>
            <legend>Accounts</legend>
            ${accounts.map((a) => html`<div class="account"><input type="checkbox" id="account-${a.id}" name="account" value="${a.id}" checked /> <label for="account-${a.id}">${a.name} ${mask(a)}</label></div>`)}
          </fieldset>
          <div class="actions"><button class="primary" type="submit">Share selected accounts</button>${cancelButton(uid)}</div>
        </form>`,
      { status: error ? 400 : 200, formTargets },
    );

  router.post("/interaction/:uid/allow", async (req, res, next) => {
    try {
      const { interaction, uid, clientName, formTargets, customerId } = await details(req, res);
      if (interaction.prompt.name !== "consent" || !customerId || !validToken(uid, "allow", (req.body as Record<string, unknown>)?.csrf)) {
        return refuse(res, formTargets);
      }
      renderAccounts(res, uid, clientName, formTargets, data.accountsOf(customerId));
    } catch (error) {
      next(error);
    }
  });

  router.post("/interaction/:uid/accounts", async (req, res, next) => {
    try {
      const { interaction, uid, clientId, clientName, formTargets, customerId } = await details(req, res);
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (interaction.prompt.name !== "consent" || !customerId || !validToken(uid, "accounts", body.csrf)) return refuse(res, formTargets);
      const owned = data.accountsOf(customerId);
      const chosen = [body.account ?? []].flat().filter((id): id is string => typeof id === "string");
      const accountIds = owned.filter((a) => chosen.includes(a.id)).map((a) => a.id);
      if (accountIds.length === 0 || accountIds.length !== new Set(chosen).size) {
        return renderAccounts(res, uid, clientName, formTargets, owned, "Choose at least one of your accounts.");
      }
      const access = requestedAccess(authorization, consents, interaction);
      if (!access) return finish(req, res, { error: "invalid_request", error_description: "The request is no longer valid" });
      const provider = options.provider();
      const grant = new provider.Grant({ accountId: customerId, clientId });
      const promptDetails = interaction.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]>; rar?: unknown[] };
      if (promptDetails.missingOIDCScope?.length) grant.addOIDCScope(promptDetails.missingOIDCScope.join(" "));
      for (const [resource, scopes] of Object.entries(promptDetails.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(" "));
      for (const detail of promptDetails.rar ?? []) grant.addRar(detail as Parameters<typeof grant.addRar>[0]);
      const grantId = await grant.save();
      const granted = {
        status: "Authorised" as const,
        customerId,
        accountIds,
        grantId,
        opens: resourcesOpenedBy(itemsOf(authorization), access.items),
      };
      if (access.ukConsentId) consents.update(access.ukConsentId, granted);
      else
        consents.create({
          clientId,
          items: access.items,
          expiresAt: access.expiresAt.toISOString(),
          ...(access.historyFrom ? { historyFrom: access.historyFrom.toISOString() } : {}),
          ...granted,
        });
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    } catch (error) {
      next(error);
    }
  });

  router.post("/interaction/:uid/cancel", async (req, res, next) => {
    try {
      const { uid, formTargets, interaction } = await details(req, res);
      if (!validToken(uid, "cancel", (req.body as Record<string, unknown>)?.cancel_token)) return refuse(res, formTargets);
      const ukConsentId = requestedAccess(authorization, consents, interaction)?.ukConsentId;
      if (ukConsentId) consents.update(ukConsentId, { status: "Rejected" });
      await finish(req, res, { error: "access_denied", error_description: "The customer cancelled at the bank" });
    } catch (error) {
      next(error);
    }
  });

  async function finish(req: Request, res: Response, result: { error: string; error_description: string }): Promise<void> {
    await options.provider().interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }

  function refuse(res: Response, formTargets: string[]): void {
    sendPage(res, look, "This page has expired", html`<p>Please start again from the app that sent you here.</p>`, { status: 403, formTargets });
  }

  return router;
}

/** An account as the pages show it: never the full number. */
export function mask(account: MockAccount): string {
  return `•••• ${account.number.slice(-4)}`;
}
