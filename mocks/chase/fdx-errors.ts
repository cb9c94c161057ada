/**
 * FDX error bodies (`{ code, message, debugMessage }`) and a guard that answers in that style,
 * so every error Chase's mock sends looks like Chase's and not like the shared framework's.
 */
import type { RequestHandler, Response } from "express";
import type { CallKind, MockBankContext } from "../bank.js";

/** FDX error codes the mock uses (FDX reserves 5xx–1xxx numbers for business errors). */
export const FDX_ERROR = {
  unauthorized: { status: 401, code: 401, message: "Unauthorized" },
  invalidParameter: { status: 400, code: 500, message: "Invalid input" },
  accountNotFound: { status: 404, code: 701, message: "Account not found" },
  invalidDate: { status: 400, code: 703, message: "Invalid start or end date" },
} as const;

/** Answers with an FDX error body and the HTTP status that goes with it. */
export function sendFdxError(res: Response, error: (typeof FDX_ERROR)[keyof typeof FDX_ERROR], debugMessage: string): void {
  res.status(error.status).json({ code: error.code, message: error.message, debugMessage });
}

/**
 * `bank.guard(kind)` with the 401 body rewritten to FDX style. The shared guard still counts the
 * call and checks the token; only the shape of its refusal changes.
 */
export function fdxGuard(bank: MockBankContext, kind: CallKind | ((query: Record<string, unknown>) => CallKind)): RequestHandler {
  return (req, res, next) => {
    const guard = bank.guard(typeof kind === "function" ? kind(req.query) : kind);
    const json = res.json.bind(res);
    res.json = (body: unknown) =>
      res.statusCode === 401
        ? json({ code: FDX_ERROR.unauthorized.code, message: FDX_ERROR.unauthorized.message, debugMessage: "Bearer token is missing, invalid or expired" })
        : json(body);
    guard(req, res, () => {
      res.json = json;
      next();
    });
  };
}
