/**
 * Signed heads of the access log: the gateway's signature over "this person's chain reached
 * (seq, hash) at signedAt". The hash chain alone shows an edit or a removal in the middle; only a
 * head signed earlier shows records cut off the end, or a chain rewritten with fresh hashes (which
 * needs no key). Chains that advanced are signed every ACCESS_LOG_HEAD_SIGN_MS (a PeriodicSweep
 * built in src/server/services.ts), and on demand when the person asks for their head.
 */
import type { Clock } from "../clock.js";
import type { GatewaySigner } from "../signing/gateway-signer.js";
import type { AccessLogSignedHeadRepository, SignedAccessLogHead, UnsignedAccessLogHead } from "../store/access-log-signed-head-repository.js";

/** The JWS `typ` of a signed head, so it cannot pass for a receipt or any other gateway signature. */
export const ACCESS_LOG_HEAD_TYP = "bankgraph-access-log-head+jws";

/** What a signed head's JWS carries. */
export interface AccessLogHeadPayload {
  userId: string;
  seq: number;
  hash: string;
  /** ISO 8601. */
  signedAt: string;
}

/** Chains signed per store query in a sweep. */
const SWEEP_PAGE = 500;

export class AccessLogHeadSigner {
  constructor(private readonly deps: { heads: AccessLogSignedHeadRepository; signer: GatewaySigner; clock: Clock }) {}

  /** Signs the tip of every chain that advanced since its last signed head; returns how many were signed. */
  async signAdvanced(): Promise<number> {
    let signed = 0;
    for (;;) {
      const advanced = await this.deps.heads.advanced(SWEEP_PAGE);
      for (const head of advanced) await this.sign(head);
      signed += advanced.length;
      if (advanced.length < SWEEP_PAGE) return signed;
    }
  }

  /**
   * The person's newest signed head, signing their tip first if the chain advanced since: what
   * they download covers every record written before they asked. Null before their first record.
   */
  async currentFor(userId: string): Promise<SignedAccessLogHead | null> {
    const advanced = await this.deps.heads.advancedFor(userId);
    if (advanced) await this.sign(advanced);
    return this.deps.heads.latest(userId);
  }

  private async sign(head: UnsignedAccessLogHead): Promise<void> {
    const signedAt = this.deps.clock.now();
    const payload: AccessLogHeadPayload = { userId: head.userId, seq: head.seq, hash: head.hash, signedAt: signedAt.toISOString() };
    const jws = await this.deps.signer.sign(payload, ACCESS_LOG_HEAD_TYP);
    await this.deps.heads.save({ ...head, signedAt, jws });
  }
}
