/**
 * Citi's UK Open Banking style consent API (Account and Transaction API v3.1): a client with a
 * client-credentials token creates an account-access consent naming permissions and dates; it is
 * `AwaitingAuthorisation` until the person authorizes it at Citi's pages (the authorization request
 * names it by `openbanking_intent_id`), then `Authorised` with the accounts the person chose, readable
 * by GET; DELETE revokes it (and every token issued for it). Errors in the OB error format.
 */
import { randomUUID } from "node:crypto";
import type { Request, RequestHandler, Response, Router } from "express";
import { z } from "zod";
import type { MockBankContext } from "../bank.js";
import { resourcesOpenedBy } from "../oauth/bank-authorization.js";
import type { BankConsent } from "../oauth/bank-consents.js";
import { CITI_PERMISSIONS } from "./authorization.js";

export const CONSENTS_PATH = "/open-banking/v3.1/aisp/account-access-consents";
const DAY = 86_400_000;
const MAX_DAYS = 365;

const ConsentRequest = z.object({
  Data: z.object({
    Permissions: z.array(z.enum(Object.keys(CITI_PERMISSIONS) as [keyof typeof CITI_PERMISSIONS, ...(keyof typeof CITI_PERMISSIONS)[]])).min(1),
    ExpirationDateTime: z.iso.datetime({ offset: true }).optional(),
    TransactionFromDateTime: z.iso.datetime({ offset: true }).optional(),
  }),
  Risk: z.object({}).passthrough(),
});

function obError(res: Response, status: number, errorCode: string, message: string): void {
  res.status(status).json({ Code: `${status}`, Id: randomUUID(), Message: message, Errors: [{ ErrorCode: errorCode, Message: message }] });
}

function render(consent: BankConsent, self: string) {
  return {
    Data: {
      ConsentId: consent.id,
      CreationDateTime: consent.createdAt,
      Status: consent.status,
      StatusUpdateDateTime: consent.updatedAt ?? consent.createdAt,
      Permissions: consent.items,
      ExpirationDateTime: consent.expiresAt,
      ...(consent.historyFrom ? { TransactionFromDateTime: consent.historyFrom } : {}),
      ...(consent.status === "Authorised" && consent.accountIds ? { AccountIds: consent.accountIds } : {}),
    },
    Risk: {},
    Links: { Self: self },
    Meta: { TotalPages: 1 },
  };
}

export function mountAccountAccessConsents(router: Router, bank: MockBankContext): void {
  const client = async (req: Request, res: Response): Promise<string | undefined> => {
    const token = /^Bearer (.+)$/i.exec(req.get("authorization") ?? "")?.[1];
    const clientId = await bank.clientForToken(token);
    if (!clientId) obError(res, 401, "UK.OBIE.Header.Invalid", "A client-credentials access token is required");
    return clientId;
  };

  router.post(CONSENTS_PATH, async (req, res, next) => {
    try {
      const clientId = await client(req, res);
      if (!clientId) return;
      const parsed = ConsentRequest.safeParse(req.body);
      if (!parsed.success)
        return obError(res, 400, "UK.OBIE.Field.Invalid", "Body must be { Data: { Permissions, ExpirationDateTime?, TransactionFromDateTime? }, Risk: {} }");
      const { Permissions, ExpirationDateTime, TransactionFromDateTime } = parsed.data.Data;
      const now = Date.now();
      const expiresAt = ExpirationDateTime ? Date.parse(ExpirationDateTime) : now + MAX_DAYS * DAY;
      if (expiresAt <= now || expiresAt > now + MAX_DAYS * DAY) {
        return obError(res, 400, "UK.OBIE.Field.Invalid", `ExpirationDateTime must be in the future and at most ${MAX_DAYS} days away`);
      }
      const consent = bank.consents.create({
        clientId,
        status: "AwaitingAuthorisation",
        items: Permissions,
        opens: resourcesOpenedBy(CITI_PERMISSIONS, Permissions),
        expiresAt: new Date(expiresAt).toISOString(),
        ...(TransactionFromDateTime ? { historyFrom: new Date(TransactionFromDateTime).toISOString() } : {}),
      });
      res.status(201).json(render(consent, `${CONSENTS_PATH}/${consent.id}`));
    } catch (error) {
      next(error);
    }
  });

  /** GET reads and DELETE revokes one of the calling client's consents. */
  const onOwnConsent =
    (act: (consent: BankConsent, res: Response) => void): RequestHandler =>
    async (req, res, next) => {
      try {
        const clientId = await client(req, res);
        if (!clientId) return;
        const consent = bank.consents.get(String(req.params.consentId));
        if (consent?.clientId !== clientId) return obError(res, 404, "UK.OBIE.Resource.NotFound", "No such consent for this client");
        act(consent, res);
      } catch (error) {
        next(error);
      }
    };
  router.get(
    `${CONSENTS_PATH}/:consentId`,
    onOwnConsent((consent, res) => res.json(render(consent, `${CONSENTS_PATH}/${consent.id}`))),
  );
  router.delete(
    `${CONSENTS_PATH}/:consentId`,
    onOwnConsent((consent, res) => {
      bank.revokeConsent(consent.id, { channel: "UK_CONSENT_DELETE" });
      res.status(204).end();
    }),
  );
}
