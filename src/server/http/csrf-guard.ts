/**
 * Cross-site request forgery: refuses a request that a browser page on another site could send
 * without a CORS preflight — and with the user's cookies — unless it carries something such a
 * page cannot set. It replaces Apollo Server's `csrfPrevention`, which accepts only its own
 * headers and so refuses the plain GET that urql and other clients send by default.
 *
 * A request passes when any of these holds (each makes a browser send a CORS preflight first, which
 * the gateway never grants: it sends no CORS headers):
 * - a Content-Type that is not one of the three "simple" ones (every POST here is application/json);
 * - `Authorization: Bearer …` — a browser never attaches a bearer token by itself (it does attach
 *   cached Basic credentials, so only the Bearer scheme counts);
 * - a non-empty `apollo-require-preflight` or `x-apollo-operation-name` header (Apollo's own).
 * GraphQL GET still runs queries only (Apollo answers a mutation over GET with 405).
 */
import type { IncomingMessage } from "node:http";
import { ErrorCode, GatewayError } from "../../errors.js";

/** Media types a cross-site `<form>` or `fetch` may send without a preflight. */
const SIMPLE_CONTENT_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]);
/** Apollo's preflight-forcing headers, accepted as before. */
const PREFLIGHT_HEADERS = ["apollo-require-preflight", "x-apollo-operation-name"] as const;

/** True when no browser could have sent `req` cross-site without a preflight. */
export function cannotBeForged(req: IncomingMessage): boolean {
  const contentType = req.headers["content-type"];
  if (contentType !== undefined) {
    const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
    if (!SIMPLE_CONTENT_TYPES.has(mediaType)) return true;
  }
  if (/^bearer\s+\S/i.test(req.headers.authorization ?? "")) return true;
  return PREFLIGHT_HEADERS.some((name) => String(req.headers[name] ?? "").length > 0);
}

/** The refusal of a request that could have been forged: check {@link cannotBeForged} before anything reads or runs it. */
export function forgeableRequestError(): GatewayError {
  return new GatewayError(
    ErrorCode.BAD_REQUEST,
    "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). Send an `Authorization: Bearer …` header, " +
      "a Content-Type other than application/x-www-form-urlencoded, multipart/form-data or text/plain, " +
      "or a non-empty `apollo-require-preflight` header.",
  );
}
