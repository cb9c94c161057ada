/**
 * FDX v6 consent revocation, as Chase's mock offers it to the data recipient that holds the
 * consent: `PUT /fdx/v6/consents/{consentId}/revocation` with a ConsentRevocationRequest
 * `{ initiator, reason }`, the recipient authenticated as its OAuth client (client_secret_basic,
 * as at the token endpoint) → 204; the consent turns Revoked, every token of its grant stops
 * working, and the revocation is recorded (mocks/oauth/revocation-log.ts). Revoking again is a
 * 204 that changes nothing. Another client's consent, or none, is 404.
 */
import type { Router } from "express";
import { z } from "zod";
import type { MockBankContext } from "../bank.js";
import { FDX_BASE } from "./routes.js";

const RevocationRequest = z
  .object({
    initiator: z.enum(["INDIVIDUAL", "DATA_ACCESS_PLATFORM", "DATA_PROVIDER", "DATA_RECIPIENT"]),
    reason: z.enum(["BUSINESS_RULE", "USER_ACTION"]),
  })
  .strict();

export function mountConsentRevocation(router: Router, bank: MockBankContext): void {
  router.put(`${FDX_BASE}/consents/:consentId/revocation`, (req, res) => {
    const clientId = bank.clientForBasic(req.get("authorization"));
    if (!clientId) {
      res.set("WWW-Authenticate", 'Basic realm="fdx"');
      return void res
        .status(401)
        .json({ code: 601, message: "Unauthorized", debugMessage: "Authenticate as the consent's OAuth client (client_secret_basic)" });
    }
    const consent = bank.consents.get(String(req.params.consentId));
    if (!consent || consent.clientId !== clientId)
      return void res.status(404).json({ code: 602, message: "Consent not found", debugMessage: "No such consent for this client" });
    const body = RevocationRequest.safeParse(req.body);
    if (!body.success)
      return void res
        .status(400)
        .json({ code: 500, message: "Invalid input", debugMessage: "Body must be { initiator, reason } (FDX ConsentRevocationRequest)" });
    bank.revokeConsent(consent.id, { channel: "FDX_CONSENT_REVOCATION", initiator: body.data.initiator, reason: body.data.reason });
    res.status(204).end();
  });
}
