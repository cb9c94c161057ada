/**
 * Stateless mock access tokens: `base64url(customerId.issuedAtMs).hmac`. Stateless so that the
 * gateway's stored links stay valid when the in-process mocks restart with `npm start`; a bank
 * can still "log everyone out" by moving its not-before time.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export class MockTokenIssuer {
  private notBefore = 0;

  constructor(private readonly secret: string) {}

  issue(customerId: string, now = Date.now()): string {
    const payload = Buffer.from(`${customerId}.${now}`).toString("base64url");
    return `${payload}.${this.sign(payload)}`;
  }

  /** The customer ID in a valid token, else undefined. */
  verify(token: string): string | undefined {
    const [payload, signature, extra] = token.split(".");
    if (!payload || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const decoded = Buffer.from(payload, "base64url").toString();
    const dot = decoded.lastIndexOf(".");
    const issuedAt = Number(decoded.slice(dot + 1));
    if (dot < 1 || !Number.isFinite(issuedAt) || issuedAt < this.notBefore) return undefined;
    return decoded.slice(0, dot);
  }

  /** Invalidates every token issued before now (the bank forces everyone to log in again). */
  expireAll(now = Date.now()): void {
    this.notBefore = now + 1;
  }

  private sign(payload: string): string {
    return createHmac("sha256", this.secret).update(payload).digest("base64url");
  }
}
