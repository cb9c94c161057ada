/**
 * Validating what an app asks for in `createConnectSession`, all of it up front, against the app's
 * registration and the purpose table. Pure: no I/O, nothing stored.
 */
import type { ConnectRequest } from "../domain/connect-session.js";
import { ErrorCode, GatewayError, badInput } from "../errors.js";
import { MAX_DURATION_DAYS, MAX_HISTORY_DAYS } from "../consent/lifecycle.js";
import { limitsForScopes } from "../consent/payment-limits.js";
import { assertScopesFitPurpose, parsePurpose } from "../consent/purposes.js";
import { parseScopes } from "../consent/scopes.js";
import type { Client } from "../store/client-repository.js";
import type { CreateConnectSessionInput } from "./connect-service.js";

/** Longest `state` an app may send (it travels back in a URL). */
export const MAX_STATE_LENGTH = 512;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const MAX_LIST = 16;

function wholeNumberIn(value: number, min: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw badInput(`${field} must be a whole number from ${min} to ${max}`, { field });
  return value;
}

/**
 * Checks every part of the request; throws on the first problem: PURPOSE_FORBIDDEN (advertising,
 * marketing, resale), FORBIDDEN (purpose not registered for the app), BAD_USER_INPUT with a
 * `reason` and the field otherwise. `institutions` are the ids Bankgraph serves.
 */
export function validateConnectRequest(app: Client, input: CreateConnectSessionInput, institutions: readonly string[], now: Date): ConnectRequest {
  const purpose = parsePurpose(input.purpose);
  if (!app.allowedPurposes.includes(purpose)) {
    throw new GatewayError(ErrorCode.FORBIDDEN, `App ${app.id} is not registered for purpose ${purpose}`, {
      reason: "PURPOSE_NOT_ALLOWED_FOR_CLIENT",
      purpose,
    });
  }
  if (input.scopes.length > MAX_LIST) throw badInput("Too many scopes", { field: "scopes" });
  const scopes = parseScopes(input.scopes);
  const notAllowed = scopes.filter((s) => !app.allowedScopes.includes(s));
  if (notAllowed.length > 0) {
    throw badInput(`App ${app.id} is not registered for ${notAllowed.join(", ")}; registered scopes: ${app.allowedScopes.join(", ") || "none"}`, {
      reason: "SCOPE_NOT_ALLOWED_FOR_CLIENT",
      field: "scopes",
      scopes: notAllowed,
    });
  }
  assertScopesFitPurpose(purpose, scopes);
  const paymentLimits = limitsForScopes(scopes, input.paymentLimits, now);

  const requested = input.institutionIds ?? null;
  if (requested !== null) {
    if (requested.length === 0) throw badInput("institutionIds, when given, must name at least one institution", { field: "institutionIds" });
    if (requested.length > MAX_LIST) throw badInput("Too many institutionIds", { field: "institutionIds" });
    const unknown = requested.filter((id) => !institutions.includes(id));
    if (unknown.length > 0) {
      throw badInput(`Unknown institution(s): ${unknown.join(", ")}. Known: ${institutions.join(", ")}`, {
        reason: "UNKNOWN_INSTITUTION",
        field: "institutionIds",
      });
    }
  }
  const institutionIds = requested === null ? [...institutions] : institutions.filter((id) => requested.includes(id));

  const durationDays = wholeNumberIn(input.durationDays, 1, MAX_DURATION_DAYS, "durationDays");
  const historyDays = input.historyDays == null ? null : wholeNumberIn(input.historyDays, 1, MAX_HISTORY_DAYS, "historyDays");

  // Exact match only: no prefix, pattern or normalization, so no open redirect through a look-alike.
  if (!app.redirectUris.includes(input.redirectUri)) {
    throw badInput(`redirectUri is not registered for app ${app.id}; it must equal one of its registered redirect URIs exactly`, {
      reason: "REDIRECT_URI_NOT_REGISTERED",
      field: "redirectUri",
    });
  }
  if (input.state.length === 0 || input.state.length > MAX_STATE_LENGTH || !PRINTABLE_ASCII.test(input.state)) {
    throw badInput(`state is required: 1 to ${MAX_STATE_LENGTH} printable ASCII characters without spaces`, { reason: "BAD_STATE", field: "state" });
  }
  return { purpose, scopes, institutionIds, durationDays, historyDays, redirectUri: input.redirectUri, state: input.state, paymentLimits };
}
