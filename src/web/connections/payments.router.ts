/**
 * The person's payments (issue 16 item 7), for the signed-in person only:
 *
 *   GET  /connections/payments/:id          one payment: details and status history, Cancel while it waits for them
 *   POST /connections/payments/:id/cancel   cancels it (source PERSON; the app is told), with the session's CSRF token
 *
 * The list is a section of /connections ({@link moneySentFor}). Only the web session cookie opens
 * these pages; another person's payment answers the same 404 as one that does not exist.
 */
import express, { type Request, type Response } from "express";
import { ErrorCode, GatewayError } from "../../errors.js";
import type { PaymentIntent } from "../../domain/payment.js";
import type { PersonPayments } from "../../payments/person-payments.js";
import { requireCsrf } from "../csrf.js";
import type { Html } from "../html.js";
import { messagePage } from "../page-layout.js";
import { sendPage } from "../page-security.js";
import { signInUrl } from "../sign-in.router.js";
import type { TimeFormats } from "../time-zone.js";
import { timeFormats } from "../time-zone.js";
import { currentSession } from "../web-session.js";
import { donePage } from "./confirm-pages.js";
import { moneySentSection, paymentPage, paymentPagePath, type PaymentNames } from "./payments-pages.js";
import { amountInWords } from "./payment-wording.js";

export interface PaymentPagesDeps {
  payments: PersonPayments;
  /** The person cancels a payment still waiting for them (PaymentService.cancelByPerson: source PERSON, the app told; CONFLICT once it is not). */
  cancel: (paymentId: string, personId: string) => Promise<PaymentIntent>;
  appName: (clientId: string) => Promise<string>;
  institutionName: (institutionId: string) => string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The names a set of payments needs, looked up once each. */
async function namesFor(deps: PaymentPagesDeps, clientIds: readonly string[]): Promise<PaymentNames> {
  const apps = new Map(await Promise.all([...new Set(clientIds)].map(async (id) => [id, await deps.appName(id)] as const)));
  return { appName: (id) => apps.get(id) ?? id, institutionName: deps.institutionName };
}

/** The "Money sent" section of the person's /connections page. */
export async function moneySentFor(deps: PaymentPagesDeps, userId: string, time: TimeFormats): Promise<Html> {
  const payments = await deps.payments.list(userId);
  return moneySentSection({
    payments,
    names: await namesFor(
      deps,
      payments.map((p) => p.clientId),
    ),
    time,
  });
}

export function paymentsRouter(deps: PaymentPagesDeps): express.Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "4kb" });

  const notFound = (res: Response, userId: string) =>
    sendPage(
      res,
      messagePage({
        title: "Payment not found",
        message: "There is no such payment among yours.",
        signedInAs: userId,
        action: { href: "/connections", label: "Back to your connections" },
      }),
      { status: 404 },
    );

  /** The signed-in person and a well-formed id, or null after answering. */
  const open = (req: Request, res: Response): { userId: string; csrfToken: string; time: TimeFormats; id: string } | null => {
    const id = String(req.params["id"]);
    const web = currentSession(res);
    if (!web?.userId) {
      if (req.method === "GET") res.redirect(303, signInUrl(paymentPagePath(id)));
      else
        sendPage(res, messagePage({ title: "Please sign in", message: "You need to be signed in to cancel a payment. Nothing was changed." }), { status: 401 });
      return null;
    }
    if (!UUID.test(id)) {
      notFound(res, web.userId);
      return null;
    }
    return { userId: web.userId, csrfToken: web.csrfToken, time: timeFormats(web.timeZone), id };
  };

  /** NOT_FOUND → the 404 page; anything else goes to the pages' error handler. */
  const orNotFound = async (res: Response, userId: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      if (error instanceof GatewayError && error.code === ErrorCode.NOT_FOUND) return notFound(res, userId);
      throw error;
    }
  };

  router.get("/connections/payments/:id", async (req: Request, res: Response) => {
    const web = open(req, res);
    if (!web) return;
    await orNotFound(res, web.userId, async () => {
      const { payment, history } = await deps.payments.one(web.userId, web.id);
      const names = await namesFor(deps, [payment.clientId]);
      sendPage(res, paymentPage({ payment, history, names, userId: web.userId, csrfToken: web.csrfToken, time: web.time }));
    });
  });

  router.post("/connections/payments/:id/cancel", form, requireCsrf, async (req: Request, res: Response) => {
    const web = open(req, res);
    if (!web) return;
    await orNotFound(res, web.userId, async () => {
      try {
        const cancelled = await deps.cancel(web.id, web.userId);
        const appName = await deps.appName(cancelled.clientId);
        const message = `The payment of ${amountInWords(cancelled.amountMinor, cancelled.currency)} will not be sent, and ${appName} has been told. No money moved.`;
        sendPage(res, donePage({ title: "Payment cancelled", message, userId: web.userId }));
      } catch (error) {
        if (!(error instanceof GatewayError && error.code === ErrorCode.CONFLICT)) throw error;
        sendPage(
          res,
          messagePage({
            title: "This payment can no longer be cancelled",
            message: "It is no longer waiting for you (it was confirmed, cancelled or has expired), so nothing was changed.",
            signedInAs: web.userId,
            action: { href: paymentPagePath(web.id), label: "See the payment" },
          }),
          { status: 409 },
        );
      }
    });
  });

  return router;
}
