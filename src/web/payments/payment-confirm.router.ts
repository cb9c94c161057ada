/**
 * The person's confirmation of a payment (issue 16 item 3), for the payment's own person only —
 * anyone else, signed in, gets the same 404 as for a payment that does not exist:
 *
 *   GET  /payments/:id/confirm           the details in plain words; the passkey button (script)
 *   POST /payments/:id/confirm/options   (JSON, CSRF) passkey options bound to the details shown
 *   POST /payments/:id/confirm           (JSON, CSRF) the passkey's answer → confirmed and sent to the bank
 *   POST /payments/:id/decline           (form, CSRF) the person cancels it (source PERSON)
 *
 * The checks are the payment confirmation's (src/payments/payment-confirmation.ts); this only
 * speaks HTTP and puts refusals in the person's words.
 */
import express, { type Request, type Response } from "express";
import type { Clock } from "../../clock.js";
import { ErrorCode, GatewayError } from "../../errors.js";
import { PasskeyRefusal } from "../../passkeys/passkey-refusal.js";
import type { PaymentConfirmation } from "../../payments/payment-confirmation.js";
import type { PaymentService } from "../../payments/payment-service.js";
import { requireCsrf } from "../csrf.js";
import { messagePage } from "../page-layout.js";
import { sendPage } from "../page-security.js";
import { signedInOrAnswer, type SignedIn } from "../signed-in.js";
import { timeFormats } from "../time-zone.js";
import { confirmPaymentPage } from "./payment-confirm-page.js";

export interface PaymentConfirmPagesDeps {
  confirmation: PaymentConfirmation;
  payments: PaymentService;
  clock: Clock;
  appName: (clientId: string) => Promise<string>;
  institutionName: (institutionId: string) => string;
}

/** The payment refusals the page puts in words (anything else is unexpected: the pages' error handler logs it). */
const REFUSALS: Partial<Record<ErrorCode, { status: number; message: string }>> = {
  [ErrorCode.NOT_FOUND]: { status: 404, message: "There is no such payment for you. Nothing was done." },
  [ErrorCode.PAYMENT_DETAILS_CHANGED]: {
    status: 409,
    message:
      "The payment's details changed after you were shown them, so nothing was sent. Reload the page, check the details again and confirm only if they are right.",
  },
  [ErrorCode.CONFLICT]: { status: 409, message: "This payment can no longer be confirmed. Reload the page to see why." },
  [ErrorCode.PAYMENT_NOT_ALLOWED]: {
    status: 403,
    message: "The app may no longer send money from this account (the permission ended). Nothing was sent.",
  },
};

/** A refusal in the person's words: HTTP status, reason, message. Unexpected errors are rethrown. */
function inWords(error: unknown): { status: number; reason: string; message: string } {
  if (error instanceof PasskeyRefusal) return { status: error.reason === "CHALLENGE_NOT_VALID" ? 409 : 400, reason: error.reason, message: error.message };
  const refusal = error instanceof GatewayError ? REFUSALS[error.code] : undefined;
  if (!refusal || !(error instanceof GatewayError)) throw error;
  const reason = error.extensions?.["reason"];
  return { ...refusal, reason: typeof reason === "string" ? reason : error.code };
}

export function paymentConfirmRouter(deps: PaymentConfirmPagesDeps): express.Router {
  const router = express.Router();
  const json = express.json({ limit: "32kb" });
  const form = express.urlencoded({ extended: false, limit: "4kb" });
  const id = (req: Request) => String(req.params["id"]);

  const page = async (res: Response, web: SignedIn, paymentId: string, status = 200) => {
    const view = await deps.confirmation.view(web.userId, paymentId);
    sendPage(
      res,
      confirmPaymentPage({
        view,
        appName: await deps.appName(view.intent.clientId),
        institutionName: deps.institutionName(view.intent.institutionId),
        userId: web.userId,
        csrfToken: web.csrfToken,
        time: timeFormats(web.timeZone),
        now: deps.clock.now(),
      }),
      { status, scripts: true },
    );
  };

  const notFoundPage = (res: Response, web: SignedIn) =>
    sendPage(
      res,
      messagePage({
        title: "Not found",
        message: "There is nothing here for you. It may never have existed, or belong to someone else.",
        signedInAs: web.userId,
        action: { href: "/connections", label: "Back to your connections" },
      }),
      { status: 404 },
    );

  router.get("/payments/:id/confirm", async (req: Request, res: Response) => {
    const web = signedInOrAnswer(req, res);
    if (!web) return;
    try {
      await page(res, web, id(req));
    } catch (error) {
      if (inWords(error).status === 404) return notFoundPage(res, web);
      throw error;
    }
  });

  /** A JSON step of the page script: its result, or the refusal in words. */
  const step = (run: (web: SignedIn, body: Record<string, unknown>, paymentId: string) => Promise<object>) => async (req: Request, res: Response) => {
    const web = signedInOrAnswer(req, res);
    if (!web) return;
    try {
      res.json({ ok: true, ...(await run(web, (req.body ?? {}) as Record<string, unknown>, id(req))) });
    } catch (error) {
      const refusal = inWords(error);
      res.status(refusal.status).json({ ok: false, reason: refusal.reason, message: refusal.message });
    }
  };

  router.post(
    "/payments/:id/confirm/options",
    json,
    requireCsrf,
    step(async (web, body, paymentId) => ({ options: await deps.confirmation.options(web.userId, paymentId, body["details"]) })),
  );

  router.post(
    "/payments/:id/confirm",
    json,
    requireCsrf,
    step(async (web, body, paymentId) => {
      const confirmed = await deps.confirmation.confirm(web.userId, paymentId, body["details"], body["response"]);
      return { status: confirmed.status };
    }),
  );

  router.post("/payments/:id/decline", form, requireCsrf, async (req: Request, res: Response) => {
    const web = signedInOrAnswer(req, res);
    if (!web) return;
    try {
      await deps.payments.cancelByPerson(id(req), web.userId);
    } catch (error) {
      const refusal = inWords(error);
      if (refusal.status === 404) return notFoundPage(res, web);
      // Not cancellable any more: the page says where it stands.
    }
    res.redirect(303, `/payments/${encodeURIComponent(id(req))}/confirm`);
  });

  return router;
}
