/**
 * A mock bank's record of every consent that ended at it, and how: the bank's own "connected
 * apps" page or admin (BANK_SIDE), the client's FDX consent revocation (`PUT /consents/{id}/revocation`),
 * the UK consent DELETE, or an RFC 7009 token revocation. Tests and the bank's pages read it
 * through {@link recordedRevocations}; the cluster's admin API serves it at GET /banks/:id/revocations.
 */

/** How a consent was ended at the bank. */
export type RevocationChannel = "BANK_SIDE" | "FDX_CONSENT_REVOCATION" | "UK_CONSENT_DELETE" | "RFC7009";

/** One consent ended at the bank. */
export interface RecordedRevocation {
  /** ISO time. */
  at: string;
  consentId: string;
  clientId: string;
  customerId: string | null;
  channel: RevocationChannel;
  /** Who the caller said ended it (FDX `initiator`), where it said. */
  initiator?: string;
  /** Why, in the caller's words (FDX `reason`), where it said. */
  reason?: string;
}

/** What one revocation call says about itself. */
export interface RevocationSource {
  channel: RevocationChannel;
  initiator?: string;
  reason?: string;
}

export class RevocationLog {
  private readonly entries: RecordedRevocation[] = [];

  record(entry: RecordedRevocation): void {
    this.entries.push(entry);
  }

  /** Copies, oldest first. */
  list(): RecordedRevocation[] {
    return this.entries.map((e) => ({ ...e }));
  }
}

/** Every consent ended at this bank so far, oldest first. */
export function recordedRevocations(bank: { readonly revocations: RevocationLog }): RecordedRevocation[] {
  return bank.revocations.list();
}
