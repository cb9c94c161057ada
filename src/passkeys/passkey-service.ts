/**
 * The person's passkeys (WebAuthn, through @simplewebauthn/server): adding one, listing and removing
 * them, and asking one to sign a challenge bound to something the person is shown (a payment's
 * details). User verification is required on every ceremony: the device checks the person's PIN,
 * fingerprint or face. Challenges live in the store (any instance checks the answer), are single
 * use and expire after {@link CHALLENGE_TTL_MS}.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import type { Clock } from "../clock.js";
import type { Database } from "../store/database.js";
import { PasskeyChallengeRepository, type PasskeyChallenge } from "../store/passkey-challenge-repository.js";
import { PasskeyRepository, type StoredPasskey } from "../store/passkey-repository.js";
import { PasskeyRefusal } from "./passkey-refusal.js";
import { relyingPartyOf, type RelyingParty } from "./relying-party.js";

/** How long the person has to answer their device (the browser is told the same). */
export const CHALLENGE_TTL_MS = 2 * 60_000;

/** What a payment challenge is bound to: the payment and the SHA-256 (hex) of the details shown. */
export interface PaymentBinding {
  paymentId: string;
  detailsSha256: string;
}

export interface PasskeyServiceOptions {
  db: Database;
  clock: Clock;
  /** The gateway's public URL: the RP ID and the expected origin come from it. */
  publicUrl: () => string;
}

/** The challenge that binds a passkey to a payment's details: SHA-256(domain ‖ nonce ‖ details hash), base64url. */
export function paymentChallenge(nonce: string, detailsSha256: string): string {
  return createHash("sha256").update(`bankgraph-payment-confirmation-v1\n${nonce}\n${detailsSha256}`, "utf8").digest("base64url");
}

/** A stable, opaque WebAuthn user handle for a person (not their id itself). */
const userHandle = (userId: string) => createHash("sha256").update(`bankgraph-person\n${userId}`, "utf8").digest();

const LABEL = /^[^\p{Cc}]{1,60}$/u;

export class PasskeyService {
  constructor(private readonly deps: PasskeyServiceOptions) {}

  private rp(): RelyingParty {
    return relyingPartyOf(this.deps.publicUrl());
  }

  private async issue(challenge: Omit<PasskeyChallenge, "createdAt" | "expiresAt">): Promise<void> {
    const now = this.deps.clock.now();
    await new PasskeyChallengeRepository(this.deps.db).issue({ ...challenge, createdAt: now, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) });
  }

  /** The person's passkeys, oldest first. */
  list(userId: string): Promise<StoredPasskey[]> {
    return new PasskeyRepository(this.deps.db).forPerson(userId);
  }

  /** Removes one of the person's passkeys (false: none of theirs has this id). */
  remove(userId: string, credentialId: string): Promise<boolean> {
    return new PasskeyRepository(this.deps.db).remove(userId, credentialId);
  }

  /** Options for the browser's `startRegistration`: a new passkey for the person, user verification required. */
  async registrationOptions(userId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const rp = this.rp();
    const existing = await this.list(userId);
    const challenge = randomBytes(32).toString("base64url");
    await this.issue({ challenge, purpose: "ADD_PASSKEY", userId, paymentId: null, detailsSha256: null, nonce: challenge });
    return generateRegistrationOptions({
      rpName: rp.name,
      rpID: rp.id,
      userName: userId,
      userID: userHandle(userId),
      userDisplayName: userId,
      challenge: isoBase64URL.toBuffer(challenge),
      timeout: CHALLENGE_TTL_MS,
      attestationType: "none",
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransportFuture[] })),
      authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
    });
  }

  /** Verifies the browser's answer to {@link registrationOptions} and stores the passkey under `label`. */
  async register(userId: string, response: unknown, label: string): Promise<StoredPasskey> {
    const name = label.trim();
    if (!LABEL.test(name)) throw new PasskeyRefusal("BAD_LABEL");
    const rp = this.rp();
    const challenges = new PasskeyChallengeRepository(this.deps.db);
    let taken = false;
    let verified;
    try {
      verified = await verifyRegistrationResponse({
        response: response as RegistrationResponseJSON,
        expectedChallenge: async (challenge) => {
          taken = (await challenges.take(challenge, { userId, purpose: "ADD_PASSKEY", paymentId: null }, this.deps.clock.now())) !== null;
          return taken;
        },
        expectedOrigin: rp.origin,
        expectedRPID: rp.id,
        requireUserVerification: true,
      });
    } catch {
      throw new PasskeyRefusal(taken ? "NOT_VERIFIED" : "CHALLENGE_NOT_VALID");
    }
    if (!verified.verified) throw new PasskeyRefusal("NOT_VERIFIED");
    const { credential } = verified.registrationInfo;
    const passkey: StoredPasskey = {
      credentialId: credential.id,
      userId,
      publicKey: isoBase64URL.fromBuffer(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? [],
      label: name,
      createdAt: this.deps.clock.now(),
      lastUsedAt: null,
    };
    if (!(await new PasskeyRepository(this.deps.db).add(passkey))) throw new PasskeyRefusal("ALREADY_ADDED");
    return passkey;
  }

  /**
   * Options for the browser's `startAuthentication`, whose challenge is bound to `binding`: the
   * passkey signs SHA-256(nonce ‖ details hash), so its answer is worth nothing for other details.
   * Only the person's own passkeys are allowed; user verification is required.
   */
  async paymentOptions(userId: string, binding: PaymentBinding): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const passkeys = await this.list(userId);
    const nonce = randomBytes(32).toString("base64url");
    const challenge = paymentChallenge(nonce, binding.detailsSha256);
    await this.issue({ challenge, purpose: "CONFIRM_PAYMENT", userId, paymentId: binding.paymentId, detailsSha256: binding.detailsSha256, nonce });
    return generateAuthenticationOptions({
      rpID: this.rp().id,
      challenge: isoBase64URL.toBuffer(challenge),
      timeout: CHALLENGE_TTL_MS,
      userVerification: "required",
      allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransportFuture[] })),
    });
  }

  /**
   * Verifies the browser's answer for a payment: one of the person's passkeys, user verified, on
   * our origin and RP ID, a counter that moved forward, signing a challenge issued to this person
   * for this payment, unused and unexpired (it is used up now, whatever the outcome). Returns the
   * details hash the signed challenge is bound to.
   */
  async verifyPayment(userId: string, paymentId: string, response: unknown): Promise<PaymentBinding> {
    const answer = response as AuthenticationResponseJSON;
    const credentialId = typeof answer?.id === "string" ? answer.id : "";
    const rp = this.rp();
    const challenges = new PasskeyChallengeRepository(this.deps.db);
    const passkeys = new PasskeyRepository(this.deps.db);
    const passkey = credentialId ? await passkeys.find(userId, credentialId) : null;
    if (!passkey) throw new PasskeyRefusal("UNKNOWN_PASSKEY");
    let bound: PasskeyChallenge | null = null;
    let verified;
    try {
      verified = await verifyAuthenticationResponse({
        response: answer,
        expectedChallenge: async (challenge) => {
          // Used up here, whatever follows: a refused answer leaves no usable challenge behind.
          bound = await challenges.take(challenge, { userId, purpose: "CONFIRM_PAYMENT", paymentId }, this.deps.clock.now());
          return bound !== null && paymentChallenge(bound.nonce, bound.detailsSha256!) === challenge;
        },
        expectedOrigin: rp.origin,
        expectedRPID: rp.id,
        credential: {
          id: passkey.credentialId,
          publicKey: isoBase64URL.toBuffer(passkey.publicKey),
          counter: passkey.counter,
          transports: passkey.transports as AuthenticatorTransportFuture[],
        },
        requireUserVerification: true,
      });
    } catch {
      throw new PasskeyRefusal(bound ? "NOT_VERIFIED" : "CHALLENGE_NOT_VALID");
    }
    const taken = bound as PasskeyChallenge | null;
    if (!verified.verified || !verified.authenticationInfo.userVerified || !taken) throw new PasskeyRefusal("NOT_VERIFIED");
    // The counter only moves forward, also against a concurrent use of the same passkey.
    if (!(await passkeys.used(userId, passkey.credentialId, passkey.counter, verified.authenticationInfo.newCounter, this.deps.clock.now()))) {
      throw new PasskeyRefusal("NOT_VERIFIED");
    }
    return { paymentId, detailsSha256: taken.detailsSha256! };
  }
}
