/**
 * Why a passkey ceremony was refused, in the person's words. Every refusal changes nothing: no
 * passkey stored, no payment confirmed.
 */

export type PasskeyRefusalReason =
  /** The challenge is unknown, was issued to someone else or for something else, was used, or expired. */
  | "CHALLENGE_NOT_VALID"
  /** The answer did not verify: signature, origin, RP ID, counter, or no user verification (PIN, fingerprint). */
  | "NOT_VERIFIED"
  /** The passkey is not one of this person's. */
  | "UNKNOWN_PASSKEY"
  /** This authenticator's passkey is already stored. */
  | "ALREADY_ADDED"
  /** The name given to a new passkey is empty or too long. */
  | "BAD_LABEL";

const WORDS: Record<PasskeyRefusalReason, string> = {
  CHALLENGE_NOT_VALID: "This request has expired or was already used. Nothing was done. Please try again.",
  NOT_VERIFIED: "Your device did not confirm it was you (with your PIN, fingerprint or face). Nothing was done.",
  UNKNOWN_PASSKEY: "This passkey is not one you added to Bankgraph. Nothing was done.",
  ALREADY_ADDED: "This passkey is already added.",
  BAD_LABEL: "Give the passkey a name of 1 to 60 characters.",
};

export class PasskeyRefusal extends Error {
  constructor(readonly reason: PasskeyRefusalReason) {
    super(WORDS[reason]);
    this.name = "PasskeyRefusal";
  }
}
