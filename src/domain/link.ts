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
  createdAt: Date;
  updatedAt: Date;
}
