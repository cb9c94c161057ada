/**
 * FDX error bodies (`{ code, message, debugMessage }`) and the guard Chase's routes use (its 401 and
 * 403 bodies are `chaseRefusal`, authorization.ts), so every error Chase's mock sends looks like Chase's.
 */
import type { RequestHandler, Response } from "express";
import type { CallKind, MockBankContext } from "../bank.js";

/** FDX error codes the mock uses (FDX reserves 5xx–1xxx numbers for business errors). */
export const FDX_ERROR = {
  invalidParameter: { status: 400, code: 500, message: "Invalid input" },
  accountNotFound: { status: 404, code: 701, message: "Account not found" },
  invalidDate: { status: 400, code: 703, message: "Invalid start or end date" },
  payeeNotFound: { status: 404, code: 1101, message: "Payee not found" },
  paymentNotFound: { status: 404, code: 1102, message: "Payment not found" },
  duplicateRequest: { status: 409, code: 1103, message: "Duplicate request" },
  noFunds: { status: 422, code: 1104, message: "Insufficient funds" },
} as const;

/** Answers with an FDX error body and the HTTP status that goes with it. */
export function sendFdxError(res: Response, error: (typeof FDX_ERROR)[keyof typeof FDX_ERROR], debugMessage: string): void {
  res.status(error.status).json({ code: error.code, message: error.message, debugMessage });
}

/** `bank.guard(kind)`, with the kind chosen per request when it depends on the query (e.g. `resultType`). */
export function fdxGuard(bank: MockBankContext, kind: CallKind | ((query: Record<string, unknown>) => CallKind)): RequestHandler {
  if (typeof kind !== "function") return bank.guard(kind);
  // One guard per kind, made on first use rather than on every request.
  const guards = new Map<CallKind, RequestHandler>();
  return (req, res, next) => {
    const chosen = kind(req.query);
    let guard = guards.get(chosen);
    if (!guard) guards.set(chosen, (guard = bank.guard(chosen)));
    guard(req, res, next);
  };
}
