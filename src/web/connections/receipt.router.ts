/**
 * The person's consent receipts:
 *
 *   GET /connections/consents/:consentId/receipt                 the latest receipt in words, and the list
 *   GET /connections/consents/:consentId/receipts/:receiptId.jws  one receipt as a file (application/jose)
 *
 * Only for the signed-in person (web session; app tokens never reach pages), and only for their own
 * consents: another person's consent or receipt answers 404 exactly like one that does not exist.
 */
import express, { type Request, type Response } from "express";
import type { ConsentReceipts } from "../../receipts/consent-receipts.js";
import { verifyConsentReceipt } from "../../receipts/receipt-verification.js";
import type { GatewaySigner } from "../../signing/gateway-signer.js";
import { messagePage } from "../page-layout.js";
import { sendPage } from "../page-security.js";
import { signInUrl } from "../sign-in.router.js";
import { currentSession } from "../web-session.js";
import { noReceiptPage, receiptPage } from "./receipt-page.js";

export interface ReceiptPagesDeps {
  receipts: ConsentReceipts;
  /** Whether the consent is this person's (false for a missing one and for another person's). */
  ownsConsent: (consentId: string, userId: string) => Promise<boolean>;
  signer: Pick<GatewaySigner, "publicKeys">;
  /** This gateway's public origin (for the key set's address shown on the page). */
  publicUrl: () => string;
}

const ID = /^[0-9a-fA-F-]{36}$/;

/** Where one receipt is downloaded. */
export const receiptDownloadPath = (consentId: string, receiptId: string) => `/connections/consents/${consentId}/receipts/${receiptId}.jws`;
/** The receipt page of one consent. */
export const receiptPagePath = (consentId: string) => `/connections/consents/${consentId}/receipt`;

export function receiptRouter(deps: ReceiptPagesDeps): express.Router {
  const router = express.Router();

  const notFound = (res: Response, userId: string) =>
    sendPage(res, messagePage({ title: "Receipt not found", message: "There is no such receipt among your connections.", signedInAs: userId }), {
      status: 404,
    });

  router.get("/connections/consents/:consentId/receipt", async (req: Request, res: Response) => {
    const consentId = String(req.params["consentId"]);
    const web = currentSession(res);
    if (!web?.userId) return res.redirect(303, signInUrl(receiptPagePath(consentId)));
    if (!ID.test(consentId) || !(await deps.ownsConsent(consentId, web.userId))) return notFound(res, web.userId);
    const stored = await deps.receipts.listForPerson(consentId, web.userId);
    if (stored.length === 0) return sendPage(res, noReceiptPage(web.userId));
    // Shown only as verified: the page says what the signature covers, nothing else.
    const keys = await deps.signer.publicKeys();
    const receipts = await Promise.all(
      stored.map(async (s) => ({ receipt: (await verifyConsentReceipt(s.jws, keys)).receipt, downloadUrl: receiptDownloadPath(consentId, s.id) })),
    );
    sendPage(res, receiptPage({ receipts, jwksUrl: `${deps.publicUrl()}/.well-known/jwks.json`, userId: web.userId }));
  });

  router.get("/connections/consents/:consentId/receipts/:file", async (req: Request, res: Response) => {
    const consentId = String(req.params["consentId"]);
    const file = String(req.params["file"]);
    const web = currentSession(res);
    if (!web?.userId) return res.redirect(303, signInUrl(receiptDownloadPath(consentId, file.replace(/\.jws$/, ""))));
    const receiptId = /^(.+)\.jws$/.exec(file)?.[1] ?? "";
    const receipt = ID.test(consentId) && ID.test(receiptId) ? await deps.receipts.findForPerson(receiptId, consentId, web.userId) : null;
    if (!receipt) return notFound(res, web.userId);
    res
      .status(200)
      .set({
        "content-type": "application/jose",
        "content-disposition": `attachment; filename="consent-receipt-${receipt.id}.jws"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
        "referrer-policy": "no-referrer",
      })
      .send(receipt.jws);
  });

  return router;
}
