/**
 * Renewing one consent, for the signed-in person (issue 13 item 4):
 *
 *   GET  /connections/consents/:consentId/renew   what stays the same, and the new end date, in plain words
 *   POST /connections/consents/:consentId/renew   (CSRF) renews it, then back to /connections
 *
 * Renewing keeps everything the person agreed to (data, accounts, purpose, history window) and
 * moves the end date to today + the consent's own duration. It needs no trip to the bank, so it is
 * refused while the bank's grant does not hold (the person is told to reconnect there). A consent
 * that is not the signed-in person's answers exactly like one that does not exist: 404.
 */
import express, { type Request, type Response } from "express";
import type { Clock } from "../../clock.js";
import type { ConsentService } from "../../consent/consent-service.js";
import { ConsentStatus, type Consent } from "../../domain/consent.js";
import { ErrorCode, GatewayError } from "../../errors.js";
import { PURPOSE_WORDING, SCOPE_WORDING } from "../../consent/consent-wording.js";
import { csrfField, requireCsrf } from "../csrf.js";
import { html, type Html } from "../html.js";
import { layout, messagePage } from "../page-layout.js";
import { sendPage } from "../page-security.js";
import { signInUrl } from "../sign-in.router.js";
import { currentSession } from "../web-session.js";

/** What the renew pages need. */
export interface RenewPagesDeps {
  consents: Pick<ConsentService, "getForUser" | "renew">;
  clock: Clock;
  /** The app's display name. */
  appName: (clientId: string) => Promise<string>;
  /**
   * The bank behind one of the person's links — its display name, and whether the bank's grant
   * still holds (the link is ACTIVE) — or null when the link is not theirs.
   */
  bankOfLink: (linkId: string, userId: string) => Promise<{ name: string; active: boolean } | null>;
}

/** Where the renew page of a consent lives (the dashboard links here). */
export const renewPath = (consentId: string) => `/connections/consents/${consentId}/renew`;

const CONSENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;
const DATE = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

/** The renew pages; mount beside the other page flows (they read the page session). */
export function renewRouter(deps: RenewPagesDeps): express.Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "8kb" });

  const notFound = (res: Response, userId: string | null) =>
    sendPage(
      res,
      messagePage({
        title: "We could not find that connection",
        message: "It may have been removed. Your connections page lists everything you share.",
        action: { href: "/connections", label: "Go to your connections" },
        signedInAs: userId,
      }),
      { status: 404 },
    );

  /** The signed-in person's consent, or a page already sent (sign-in, 404). */
  const load = async (req: Request, res: Response): Promise<{ consent: Consent; userId: string; csrfToken: string } | undefined> => {
    const consentId = String(req.params["consentId"]);
    const web = currentSession(res);
    if (!web?.userId) {
      res.redirect(303, signInUrl(CONSENT_ID.test(consentId) ? renewPath(consentId) : "/connections"));
      return undefined;
    }
    if (!CONSENT_ID.test(consentId)) return void notFound(res, web.userId);
    try {
      return { consent: await deps.consents.getForUser(consentId, web.userId), userId: web.userId, csrfToken: web.csrfToken };
    } catch (error) {
      if (error instanceof GatewayError && error.code === ErrorCode.NOT_FOUND) return void notFound(res, web.userId);
      throw error;
    }
  };

  router.get("/connections/consents/:consentId/renew", async (req: Request, res: Response) => {
    const found = await load(req, res);
    if (!found) return;
    const { consent, userId, csrfToken } = found;
    const appName = await deps.appName(consent.clientId);
    if (consent.status !== ConsentStatus.AUTHORIZED) return sendPage(res, endedPage(appName, consent, userId), { status: 409 });
    const bank = await deps.bankOfLink(consent.linkId, userId);
    const bankName = bank?.name ?? "your bank";
    // Said before the person confirms, not after: renewing needs the bank's grant to hold.
    if (!bank?.active) return sendPage(res, reconnectPage(appName, bankName, userId), { status: 409 });
    const newEnd = new Date(deps.clock.now().getTime() + consent.durationDays * DAY_MS);
    sendPage(res, renewPage({ consent, appName, bankName, newEnd, csrfToken, userId }));
  });

  router.post("/connections/consents/:consentId/renew", form, requireCsrf, async (req: Request, res: Response) => {
    const found = await load(req, res);
    if (!found) return;
    const { consent, userId } = found;
    try {
      await deps.consents.renew(consent.id, userId, { detail: { via: "connections page" } });
      res.redirect(303, "/connections");
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      const appName = await deps.appName(consent.clientId);
      if (error.code === ErrorCode.LOGIN_REQUIRED) {
        const bankName = (await deps.bankOfLink(consent.linkId, userId))?.name ?? "your bank";
        return sendPage(res, reconnectPage(appName, bankName, userId), { status: 409 });
      }
      if (error.code === ErrorCode.CONSENT_INVALID) return sendPage(res, endedPage(appName, consent, userId), { status: 409 });
      if (error.code === ErrorCode.NOT_FOUND) return notFound(res, userId);
      throw error;
    }
  });

  return router;
}

function renewPage(options: { consent: Consent; appName: string; bankName: string; newEnd: Date; csrfToken: string; userId: string }): Html {
  const { consent, appName, bankName, newEnd } = options;
  const newEndWords = DATE.format(newEnd);
  return layout({
    title: `Keep sharing with ${appName}?`,
    signedInAs: options.userId,
    main: html`<h1>Keep sharing with ${appName}?</h1>
      <p>Right now ${appName} can read this from your ${bankName} accounts until ${DATE.format(consent.expiresAt!)}:</p>
      <ul class="scopes">
        ${consent.scopes.map((scope) => html`<li>${SCOPE_WORDING[scope].label}</li>`)}
      </ul>
      <p>${appName} uses it to ${PURPOSE_WORDING[consent.purpose]}.</p>
      <p>
        If you renew, nothing else changes: the same data, the same accounts, the same purpose. Sharing will end on
        <strong>${newEndWords}</strong> instead, ${consent.durationDays} days from today. You can stop sharing at any time.
      </p>
      <form method="post" action="${renewPath(consent.id)}">
        ${csrfField(options.csrfToken)}
        <p class="actions">
          <button class="button primary" type="submit">Renew until ${newEndWords}</button>
          <a class="button" href="/connections">Not now</a>
        </p>
      </form>`,
  });
}

function endedPage(appName: string, consent: Consent, userId: string): Html {
  const why = consent.status === ConsentStatus.EXPIRED ? "has ended" : "is no longer active";
  return messagePage({
    title: "This sharing cannot be renewed",
    message: `Sharing with ${appName} ${why}, so there is nothing to renew. To share again, start from ${appName}: you will see what it asks for before anything is shared.`,
    action: { href: "/connections", label: "Go to your connections" },
    signedInAs: userId,
  });
}

function reconnectPage(appName: string, bankName: string, userId: string): Html {
  return messagePage({
    title: `Reconnect ${bankName} first`,
    message: `${bankName} no longer lets Bankgraph read these accounts, so sharing with ${appName} cannot be renewed here. Nothing was changed. Reconnect ${bankName} from ${appName}, then share again.`,
    action: { href: "/connections", label: "Go to your connections" },
    signedInAs: userId,
  });
}
