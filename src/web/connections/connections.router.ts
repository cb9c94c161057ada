/**
 * The person's dashboard, for the signed-in person only (others go to sign-in and come back):
 *
 *   GET  /connections                         every app × bank, the chart, the banks
 *   GET  /connections/consents/:id            one consent: reads (paginated) and its history
 *   GET  /connections/consents/:id/stop       confirm → POST stops it (actor USER)
 *   GET  /connections/apps/:clientId/stop     confirm → POST stops everything of one app
 *   GET  /connections/links/:linkId/unlink    confirm → POST unlinks a bank for every app
 *   POST /connections/time-zone               the time zone the pages speak in
 *
 * Only the web session cookie opens these pages (an app's bearer token is never read here). Every
 * id is checked against the signed-in person in the service: someone else's id answers the same
 * 404 as one that does not exist. Changes only by POST, each with the session's CSRF token.
 */
import express, { type Request, type Response } from "express";
import type { Clock } from "../../clock.js";
import type { ConnectionsService } from "../../connections/connections-service.js";
import { ErrorCode, GatewayError } from "../../errors.js";
import type { WebSession, WebSessionRepository } from "../../store/web-session-repository.js";
import { requireCsrf } from "../csrf.js";
import { messagePage } from "../page-layout.js";
import { sendPage } from "../page-security.js";
import { signInUrl } from "../sign-in.router.js";
import type { Html } from "../html.js";
import { knownTimeZone, timeFormats, type TimeFormats } from "../time-zone.js";
import { currentSession } from "../web-session.js";
import { confirmStopAppPage, confirmStopConsentPage, confirmUnlinkPage, donePage, stopAppConsequence } from "./confirm-pages.js";
import { consentPage } from "./consent-page.js";
import { dashboardPage } from "./dashboard-page.js";
import { listInWords, scopesInWords } from "./connections-wording.js";

export interface ConnectionsPagesDeps {
  connections: ConnectionsService;
  sessions: WebSessionRepository;
  clock: Clock;
  /** The dashboard's "Money sent" section (src/web/connections/payments.router.ts). */
  moneySent?: (userId: string, time: TimeFormats) => Promise<Html>;
}

type SignedIn = WebSession & { userId: string };

/** Ids in paths: anything else is answered like an unknown id, before it reaches the store. */
const ID = /^[A-Za-z0-9_.:-]{1,100}$/;

export function connectionsRouter(deps: ConnectionsPagesDeps): express.Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "4kb" });
  const { connections } = deps;

  /** The signed-in session, or null after answering (sign-in and back for a GET; refused for a POST). */
  const signedIn = (req: Request, res: Response): SignedIn | null => {
    const web = currentSession(res);
    if (web?.userId) return web as SignedIn;
    if (req.method === "GET") res.redirect(303, signInUrl(req.originalUrl));
    else
      sendPage(res, messagePage({ title: "Please sign in", message: "You need to be signed in to change your connections. Nothing was changed." }), {
        status: 401,
      });
    return null;
  };

  /** A refusal the person can understand; anything unexpected goes to the pages' error handler. */
  const refuse = (res: Response, web: SignedIn, error: unknown) => {
    if (!(error instanceof GatewayError)) throw error;
    const page =
      error.code === ErrorCode.NOT_FOUND
        ? { status: 404, title: "Not found", message: "There is nothing here for you. It may never have existed, or belong to someone else." }
        : error.code === ErrorCode.CONSENT_INVALID
          ? { status: 409, title: "Already stopped", message: "This sharing has already ended, so nothing was changed." }
          : error.code === ErrorCode.BAD_USER_INPUT
            ? { status: 400, title: "This link does not work", message: "The page you asked for does not exist. Go back to your connections." }
            : undefined;
    if (!page) throw error;
    sendPage(res, messagePage({ ...page, signedInAs: web.userId, action: { href: "/connections", label: "Back to your connections" } }), {
      status: page.status,
    });
  };

  /** Runs a page for the signed-in person with a checked id. */
  const page =
    (param: string | null, handler: (req: Request, res: Response, web: SignedIn, id: string) => Promise<void>) => async (req: Request, res: Response) => {
      const web = signedIn(req, res);
      if (!web) return;
      const id = param ? String(req.params[param]) : "";
      try {
        if (param && !ID.test(id)) throw new GatewayError(ErrorCode.NOT_FOUND, "Not found");
        await handler(req, res, web, id);
      } catch (error) {
        refuse(res, web, error);
      }
    };

  const time = (web: SignedIn) => timeFormats(web.timeZone);

  router.get(
    "/connections",
    page(null, async (_req, res, web) => {
      const formats = time(web);
      const [dashboard, moneySent] = await Promise.all([connections.dashboard(web.userId, formats.zone), deps.moneySent?.(web.userId, formats)]);
      sendPage(res, dashboardPage({ dashboard, userId: web.userId, csrfToken: web.csrfToken, time: formats, now: deps.clock.now(), moneySent }));
    }),
  );

  router.post("/connections/time-zone", form, requireCsrf, async (req: Request, res: Response) => {
    const web = signedIn(req, res);
    if (!web) return;
    const zone = knownTimeZone((req.body as Record<string, unknown>)["time_zone"]);
    if (!zone) {
      return sendPage(
        res,
        messagePage({
          title: "Unknown time zone",
          message: "Choose a time zone from the list. Nothing was changed.",
          signedInAs: web.userId,
          action: { href: "/connections", label: "Back to your connections" },
        }),
        { status: 400 },
      );
    }
    await deps.sessions.setTimeZone(web.id, zone);
    res.redirect(303, "/connections");
  });

  router.get(
    "/connections/consents/:id",
    page("id", async (req, res, web, id) => {
      const position = { older: queryText(req, "older"), newer: queryText(req, "newer") };
      sendPage(res, consentPage({ detail: await connections.consent(web.userId, id, position), userId: web.userId, time: time(web) }));
    }),
  );

  router.get(
    "/connections/consents/:id/stop",
    page("id", async (_req, res, web, id) => {
      const { shared, appName } = await connections.consent(web.userId, id);
      sendPage(res, confirmStopConsentPage({ shared, appName, userId: web.userId, csrfToken: web.csrfToken }));
    }),
  );

  router.post(
    "/connections/consents/:id/stop",
    form,
    requireCsrf,
    page("id", async (_req, res, web, id) => {
      const { shared, appName } = await connections.consent(web.userId, id);
      await connections.stopConsent(web.userId, id);
      const message = `${appName} can no longer see ${scopesInWords(shared.consent.scopes)} at ${shared.institutionName}. It took effect immediately.`;
      sendPage(res, donePage({ title: "Sharing stopped", message, userId: web.userId }));
    }),
  );

  router.get(
    "/connections/apps/:clientId/stop",
    page("clientId", async (_req, res, web, clientId) => {
      const { appName, open } = await connections.openConsentsOfApp(web.userId, clientId);
      sendPage(res, confirmStopAppPage({ clientId, appName, open, userId: web.userId, csrfToken: web.csrfToken }));
    }),
  );

  router.post(
    "/connections/apps/:clientId/stop",
    form,
    requireCsrf,
    page("clientId", async (_req, res, web, clientId) => {
      const { appName, open } = await connections.openConsentsOfApp(web.userId, clientId);
      await connections.stopApp(web.userId, clientId);
      const message = open.length === 0 ? stopAppConsequence(appName, open) : `${appName} can no longer see any of your data. It took effect immediately.`;
      sendPage(res, donePage({ title: `Everything stopped for ${appName}`, message, userId: web.userId }));
    }),
  );

  router.get(
    "/connections/links/:linkId/unlink",
    page("linkId", async (_req, res, web, linkId) => {
      sendPage(res, confirmUnlinkPage({ bank: await connections.bank(web.userId, linkId), userId: web.userId, csrfToken: web.csrfToken }));
    }),
  );

  router.post(
    "/connections/links/:linkId/unlink",
    form,
    requireCsrf,
    page("linkId", async (_req, res, web, linkId) => {
      const bank = await connections.bank(web.userId, linkId);
      await connections.unlinkBank(web.userId, linkId);
      const apps = bank.appNames.length === 0 ? "" : `${listInWords(bank.appNames)} can no longer see your data at ${bank.institutionName}, and `;
      sendPage(
        res,
        donePage({
          title: `${bank.institutionName} unlinked`,
          message: `${apps}Bankgraph no longer has access to ${bank.institutionName}. It took effect immediately.`,
          userId: web.userId,
        }),
      );
    }),
  );

  return router;
}

/** A query parameter given once as text, else undefined. */
function queryText(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === "string" ? value : undefined;
}
