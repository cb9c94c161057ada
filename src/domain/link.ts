/**
 * A link: a user's login at one institution, as the gateway keeps it. Stored by
 * `src/store/link-repository.ts`, read by every layer above.
 */

/** Link states. */
export enum LinkStatus {
  ACTIVE = "ACTIVE",
  /** The bank wants the user to log in again (token expired or revoked at the bank). */
  LOGIN_REQUIRED = "LOGIN_REQUIRED",
  /** Removed by the user; final. The row stays for the audit trail, the token does not. */
  REVOKED = "REVOKED",
}

/** A stored link. */
export interface Link {
  id: string;
  userId: string;
  institutionId: string;
  status: LinkStatus;
  /** `TokenCipher` ciphertext of the bank access token; null once revoked. */
  accessTokenCiphertext: string | null;
  /** When the bank said the access token expires; null when it did not say. Refreshed 30 s before. */
  accessTokenExpiresAt: Date | null;
  /** `TokenCipher` ciphertext of the bank's rotating refresh token; null when the bank gave none, and once revoked. */
  refreshTokenCiphertext: string | null;
  /** The bank's own id of the grant or consent (a UK ConsentId), where it has one. */
  bankGrantId: string | null;
  /** The bank's ids of the accounts the person chose to share at the bank; null for a link made before OAuth. */
  accountIds: string[] | null;
  /** When the bank's grant ends (the consent's end): no refresh outlives it. */
  grantExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
