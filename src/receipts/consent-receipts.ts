/**
 * Consent receipts: issued inside the transaction of every lifecycle change that a person needs a
 * signed record of (authorized, renewed, revoked, expired — for consents that were once
 * authorized), and read back only by the consent's own person.
 *
 * Issued from ConsentService's in-transaction listener, so no path that authorizes, renews or ends
 * a consent can skip its receipt, and a change that rolls back leaves no receipt behind. The
 * EXPIRED receipt is issued too: a person's record of a consent should end with how it ended,
 * whichever way that was.
 */
import { randomUUID } from "node:crypto";
import { ConsentActor, ConsentEventType, type Consent, type ConsentChange } from "../domain/consent.js";
import { PURPOSE_WORDING, SCOPE_WORDING, USE_LIMITS } from "../consent/consent-wording.js";
import type { GatewaySigner } from "../signing/gateway-signer.js";
import { ClientRepository } from "../store/client-repository.js";
import { ConsentEventRepository } from "../store/consent-event-repository.js";
import { ConsentReceiptRepository, type StoredConsentReceipt } from "../store/consent-receipt-repository.js";
import type { Queryable } from "../store/database.js";
import { LinkRepository } from "../store/link-repository.js";
import { LinkSharedAccountRepository } from "../store/link-shared-account-repository.js";
import { maskedAccount, RECEIPT_EVENTS, RECEIPT_TYP, RECEIPT_VERSION, type ConsentReceipt, type ReceiptEvent } from "./consent-receipt.js";

/** Options for {@link ConsentReceipts}. */
export interface ConsentReceiptsOptions {
  /** Where receipts are read from (writes go through the change's own transaction). */
  db: Queryable;
  signer: GatewaySigner;
  /** The bank's display name for an institution id. */
  bankName: (institutionId: string) => string;
}

const isReceiptEvent = (type: string): type is ReceiptEvent => (RECEIPT_EVENTS as readonly string[]).includes(type);

/** Issues and reads signed consent receipts. */
export class ConsentReceipts {
  constructor(private readonly options: ConsentReceiptsOptions) {}

  /**
   * The receipt for `change`, signed and stored in `tx`; null when the change needs none (a
   * request, a rejection, or the end of a request never authorized).
   */
  async issueIn(tx: Queryable, consent: Consent, change: ConsentChange): Promise<StoredConsentReceipt | null> {
    if (!isReceiptEvent(change.type) || consent.authorizedAt === null) return null;
    const payload = await this.describe(tx, consent, change, change.type);
    const stored: StoredConsentReceipt = {
      id: payload.receiptId,
      consentId: consent.id,
      userId: consent.userId,
      clientId: consent.clientId,
      event: change.type,
      issuedAt: change.at,
      kid: this.options.signer.kid,
      jws: await this.options.signer.sign(payload, RECEIPT_TYP),
    };
    await new ConsentReceiptRepository(tx).insert(stored);
    return stored;
  }

  /** The receipts of one of the person's consents, oldest first; empty when the consent is not theirs. */
  listForPerson(consentId: string, userId: string): Promise<StoredConsentReceipt[]> {
    return new ConsentReceiptRepository(this.options.db).listForConsent(consentId, userId);
  }

  /** The receipts of several of the person's consents, grouped by consent id (each oldest first). */
  async listForConsents(consentIds: readonly string[], userId: string): Promise<Map<string, StoredConsentReceipt[]>> {
    const byConsent = new Map<string, StoredConsentReceipt[]>(consentIds.map((id) => [id, []]));
    for (const receipt of await new ConsentReceiptRepository(this.options.db).listForConsents(consentIds, userId)) {
      byConsent.get(receipt.consentId)?.push(receipt);
    }
    return byConsent;
  }

  /** One receipt of one of the person's consents, or null (missing, or not theirs: the same answer). */
  findForPerson(receiptId: string, consentId: string, userId: string): Promise<StoredConsentReceipt | null> {
    return new ConsentReceiptRepository(this.options.db).findForConsent(receiptId, consentId, userId);
  }

  private async describe(tx: Queryable, consent: Consent, change: ConsentChange, event: ReceiptEvent): Promise<ConsentReceipt> {
    // One after another: a transaction is one connection, which takes one statement at a time.
    const app = await new ClientRepository(tx).findById(consent.clientId);
    const link = await new LinkRepository(tx).findById(consent.linkId);
    const accounts = await new LinkSharedAccountRepository(tx).forLink(consent.linkId);
    const disclosureSha256 = await this.disclosureHash(tx, consent, change);
    const institutionId = link?.institutionId ?? "unknown";
    return {
      version: RECEIPT_VERSION,
      receiptId: randomUUID(),
      issuedAt: change.at.toISOString(),
      event,
      consentId: consent.id,
      status: consent.status,
      parties: {
        person: { id: consent.userId },
        app: {
          id: consent.clientId,
          displayName: app?.name ?? consent.clientId,
          legalName: app?.legalName ?? null,
          role: "Receives your data (the data recipient)",
        },
        processor: { name: "Bankgraph", role: "Connects the app to your bank for the app, and lets it read only what you agreed to" },
        bank: { id: institutionId, name: this.options.bankName(institutionId), role: "Holds your accounts (the data provider)" },
      },
      purpose: { code: consent.purpose, words: `So that it can ${PURPOSE_WORDING[consent.purpose]}` },
      scopes: consent.scopes.map((scope) => ({ code: scope, words: SCOPE_WORDING[scope].label, includes: [...SCOPE_WORDING[scope].fields] })),
      accounts: accounts.map((a) => ({ type: a.type, name: a.name, masked: maskedAccount(a.mask) })),
      historyWindow: {
        days: consent.historyDays,
        words: consent.historyDays === null ? "As far back as your bank offers" : `The last ${consent.historyDays} days`,
      },
      useLimits: USE_LIMITS,
      grantedOn: consent.authorizedAt?.toISOString() ?? null,
      expiresOn: consent.expiresAt?.toISOString() ?? null,
      revokedOn: consent.revokedAt?.toISOString() ?? null,
      revokedBy: event === "REVOKED" ? change.actor : null,
      revocationReason: event === "REVOKED" ? revocationReason(change) : null,
      disclosureSha256,
    };
  }

  /** The hash of the disclosure the person read, as their authorization recorded it (connect sessions record it). */
  private async disclosureHash(tx: Queryable, consent: Consent, change: ConsentChange): Promise<string | null> {
    const detail =
      change.type === ConsentEventType.AUTHORIZED
        ? change.detail
        : (await new ConsentEventRepository(tx).firstOfType(consent.id, ConsentEventType.AUTHORIZED))?.detail;
    const hash = detail?.["disclosureSha256"];
    return typeof hash === "string" ? hash : null;
  }
}

/** Why a consent was revoked, in words, from what its REVOKED event recorded. */
function revocationReason(change: ConsentChange): string {
  const { supersededBy, reason } = change.detail;
  if (typeof supersededBy === "string") return "Replaced by a newer consent you approved for the same app and bank";
  if (reason === "LINK_REVOKED") return "The connection to the bank was removed";
  if (typeof reason === "string" && reason.length > 0) return reason;
  switch (change.actor) {
    case ConsentActor.USER:
      return "You stopped sharing";
    case ConsentActor.CLIENT:
      return "The app stopped its access";
    case ConsentActor.SYSTEM:
      return "Bankgraph ended the access";
  }
}
