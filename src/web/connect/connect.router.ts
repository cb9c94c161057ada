/**
 * The person's side of a connect session, driving the connect service (ConnectJourney):
 *
 *   GET  /connect/:id           sign in if needed → the disclosure (what was shown is recorded)
 *   POST /connect/:id/continue  the banks picked → the first bank's own page
 *   POST /connect/:id/cancel    → the app's redirect URI with error=access_denied and its state
 *   GET  /connect/callback/:bank a bank sends the person back → next bank, or the completion page
 *
 * Every form carries the session's CSRF token; every page the strict CSP, with form-action opened
 * only to where that page's forms lead (the banks on offer, the app's redirect URI).
 */
import express, { type Request, type Response } from "express";
import type { Clock } from "../../clock.js";
import type { ConnectJourney, ConnectRedirect, ConnectSessionView } from "../../connect/connect-service.js";
import { ErrorCode, GatewayError } from "../../errors.js";
import { bankCallbackUri } from "../../links/bank-authorization.js";
import type { WebSessionRepository } from "../../store/web-session-repository.js";
import { requireCsrf } from "../csrf.js";
import { messagePage } from "../page-layout.js";
import { sendPage } from "../page-security.js";
import { signInUrl } from "../sign-in.router.js";
import { currentSession } from "../web-session.js";
import { completionPage, nextBankPage, returnToAppPage } from "./connect-pages.js";
import { refusalPage } from "./connect-errors.js";
import { chosenLimits } from "./payment-limits-form.js";
import type { PaymentLimits } from "../../domain/payment.js";
import { accessEnds, DISCLOSURE_TEMPLATE_VERSION, disclosurePage, disclosureSection, disclosureText } from "./disclosure-page.js";

export interface ConnectPagesDeps {
  journey: ConnectJourney;
  sessions: WebSessionRepository;
  clock: Clock;
  /** This gateway's public origin: the banks send people back to `<publicUrl>/connect/callback/<bank>`. */
  publicUrl: () => string;
  /** Where each bank's own pages live (origins a Continue form may be redirected to). */
  bankOrigins: () => string[];
  institutionName: (institutionId: string) => string;
  /** The app's display name, for pages after the disclosure. */
  appName: (clientId: string) => Promise<string>;
}

const SESSION_ID = /^[A-Za-z0-9_-]{1,100}$/;
const DATE = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

/** The connect path a sign-in was going back to, if it was one: `/connect/<id>`. */
export function connectSessionOf(returnTo: string): string | undefined {
  const match = /^\/connect\/([A-Za-z0-9_-]{1,100})$/.exec(returnTo);
  return match?.[1];
}

export function connectRouter(deps: ConnectPagesDeps): express.Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "8kb" });
  const bankCallbackUrl = (institutionId: string) => bankCallbackUri(deps.publicUrl(), institutionId);

  const refuse = (res: Response, error: unknown, userId?: string | null, step?: "start" | "answer") => {
    const page = refusalPage(error, step);
    if (!page) throw error;
    sendPage(res, messagePage({ title: page.title, message: page.message, signedInAs: userId ?? null }), { status: page.status });
  };

  const returnToApp = async (res: Response, redirect: ConnectRedirect, title: string, message: string) => {
    const appName = await deps.appName(redirect.session.clientId);
    sendPage(res, returnToAppPage({ appName, title, message: message.replace("{app}", appName), returnUrl: redirect.redirectUrl }));
  };

  const renderDisclosure = async (res: Response, view: ConnectSessionView, csrfToken: string, userId: string, error?: string) => {
    const now = deps.clock.now();
    // What is kept is what the app proposed: the person's lower limits are recorded with the consent.
    const proposed = { ...view, paymentLimits: view.session.request.paymentLimits };
    const section = disclosureSection(proposed, now);
    await deps.journey.recordDisclosure(view.session.id, userId, { text: disclosureText(section), templateVersion: DISCLOSURE_TEMPLATE_VERSION });
    sendPage(res, disclosurePage({ view, section, csrfToken, userId, error, now }), {
      status: error ? 400 : 200,
      formTargets: [...deps.bankOrigins(), view.session.request.redirectUri],
    });
  };

  // Each bank's registered redirect URI; before /connect/:id so "callback" is not read as an id.
  router.get("/connect/callback/:institutionId", async (req: Request, res: Response) => {
    const web = currentSession(res);
    const sessionId = web?.connectSessionId;
    if (!web?.userId || !sessionId) {
      return sendPage(
        res,
        messagePage({
          title: "We could not match your bank's answer",
          message: "It does not belong to a request started in this browser, so nothing was shared. Go back to the app and start again.",
        }),
        { status: 400 },
      );
    }
    const userId = web.userId;
    try {
      const params = new URLSearchParams(req.originalUrl.slice(req.originalUrl.indexOf("?") + 1));
      const step = await deps.journey.completeBank(sessionId, userId, params);
      const bankName = deps.institutionName(step.institutionId);
      if (step.outcome === "DENIED") {
        await deps.sessions.setConnectSession(web.id, null);
        const redirect = await deps.journey.cancel(sessionId, userId);
        return await returnToApp(res, redirect, "You cancelled", `Nothing more was shared. Taking you back to {app}.`);
      }
      if (step.next.kind === "BANK") {
        const start = await deps.journey.beginBank(sessionId, userId, step.next.institutionId, bankCallbackUrl(step.next.institutionId));
        const view = await deps.journey.open(sessionId, userId);
        return sendPage(
          res,
          nextBankPage({
            appName: view.app.displayName,
            done: view.session.banks.filter((b) => b.status === "LINKED").map((b) => ({ name: deps.institutionName(b.institutionId) })),
            nextBank: deps.institutionName(step.next.institutionId),
            nextUrl: start.authorizationUrl,
            userId,
          }),
        );
      }
      const finished = await deps.journey.finish(sessionId, userId);
      await deps.sessions.setConnectSession(web.id, null);
      const linked = finished.session.banks.filter((b) => b.status === "LINKED").map((b) => ({ name: deps.institutionName(b.institutionId) }));
      if (linked.length === 0)
        return await returnToApp(res, finished, "Nothing was shared", `${bankName} did not share any account. Taking you back to {app}.`);
      sendPage(
        res,
        completionPage({
          appName: await deps.appName(finished.session.clientId),
          linked,
          endsOn: DATE.format(accessEnds(deps.clock.now(), finished.session.request.durationDays)),
          returnUrl: finished.redirectUrl,
          userId,
        }),
      );
    } catch (error) {
      refuse(res, error, userId);
    }
  });

  router.get("/connect/:id", async (req: Request, res: Response) => {
    const id = String(req.params["id"]);
    const web = currentSession(res);
    if (!SESSION_ID.test(id)) return refuse(res, notFound());
    if (!web?.userId) return res.redirect(303, signInUrl(`/connect/${id}`));
    try {
      await renderDisclosure(res, await deps.journey.open(id, web.userId), web.csrfToken, web.userId);
    } catch (error) {
      refuse(res, error, web.userId);
    }
  });

  router.post("/connect/:id/continue", form, requireCsrf, async (req: Request, res: Response) => {
    const id = String(req.params["id"]);
    const web = currentSession(res)!;
    if (!web.userId) return res.redirect(303, signInUrl(`/connect/${id}`));
    const body = req.body as Record<string, unknown>;
    const picked = ([] as unknown[]).concat(body["institution"] ?? []).filter((v): v is string => typeof v === "string");
    try {
      if (picked.length === 0)
        return await renderDisclosure(res, await deps.journey.open(id, web.userId), web.csrfToken, web.userId, "Choose at least one bank.");
      let limits: PaymentLimits | null = null;
      const view = await deps.journey.open(id, web.userId);
      const proposed = view.session.request.paymentLimits;
      if (proposed) {
        const chosen = chosenLimits(body, proposed, deps.clock.now());
        if ("error" in chosen) return await renderDisclosure(res, view, web.csrfToken, web.userId, chosen.error);
        limits = chosen.limits;
      }
      const step = await deps.journey.chooseInstitutions(id, web.userId, picked, limits);
      if (step.kind !== "BANK") throw new Error("no bank to begin with");
      const start = await deps.journey.beginBank(id, web.userId, step.institutionId, bankCallbackUrl(step.institutionId));
      await deps.sessions.setConnectSession(web.id, id);
      res.redirect(303, start.authorizationUrl);
    } catch (error) {
      refuse(res, error, web.userId, "start");
    }
  });

  router.post("/connect/:id/cancel", form, requireCsrf, async (req: Request, res: Response) => {
    const id = String(req.params["id"]);
    const web = currentSession(res)!;
    try {
      const redirect = await deps.journey.cancel(id, web.userId);
      await deps.sessions.setConnectSession(web.id, null);
      res.redirect(303, redirect.redirectUrl);
    } catch (error) {
      refuse(res, error, web.userId);
    }
  });

  return router;
}

/** Cancel at the identity provider while signing in for a connect session: back to the app, access_denied. */
export function cancelFromSignIn(deps: Pick<ConnectPagesDeps, "journey" | "appName">) {
  return async (returnTo: string, res: Response): Promise<boolean> => {
    const id = connectSessionOf(returnTo);
    if (!id) return false;
    try {
      const redirect = await deps.journey.cancel(id, null);
      const appName = await deps.appName(redirect.session.clientId);
      sendPage(
        res,
        returnToAppPage({ appName, title: "You cancelled", message: `Nothing was shared. Taking you back to ${appName}.`, returnUrl: redirect.redirectUrl }),
      );
    } catch (error) {
      const page = refusalPage(error);
      if (!page) throw error;
      sendPage(res, messagePage(page), { status: page.status });
    }
    return true;
  };
}

const notFound = () => new GatewayError(ErrorCode.NOT_FOUND, "Connect session not found", { reason: "SESSION_NOT_FOUND" });
