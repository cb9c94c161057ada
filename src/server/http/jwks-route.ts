/**
 * GET /.well-known/jwks.json: the gateway's public signing keys (RFC 7517), so anyone can verify a
 * consent receipt or a signed access-log head without asking Bankgraph. Public halves only; every
 * key ever used stays listed, so old receipts keep verifying. Cached briefly: a new key shows up
 * within minutes, and the set is read from the store, shared by every instance.
 */
import type { RequestHandler } from "express";
import type { GatewaySigner } from "../../signing/gateway-signer.js";

/** Seconds a client or proxy may keep the key set. */
export const JWKS_MAX_AGE_SECONDS = 300;

export function jwksHandler(signer: Pick<GatewaySigner, "publicKeys">): RequestHandler {
  return async (_req, res) => {
    const { keys } = await signer.publicKeys();
    // Only the public members, whatever the store holds: a private "d" can never leak through here.
    const published = keys.map(({ kty, crv, x, y, kid, alg, use }) => ({ kty, crv, x, y, kid, alg, use }));
    res
      .status(200)
      .set({ "cache-control": `public, max-age=${JWKS_MAX_AGE_SECONDS}`, "access-control-allow-origin": "*", "x-content-type-options": "nosniff" })
      .type("application/jwk-set+json")
      .send(JSON.stringify({ keys: published }));
  };
}
