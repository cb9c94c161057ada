/**
 * Wells Fargo's error envelope (`{ error: { code, message } }`) and a guard that refuses in it,
 * so a bad token gets the bank's own 401 body rather than the shared framework's.
 */
import type { RequestHandler, Response } from "express";
import type { CallKind, MockBankContext } from "../bank.js";

/** Machine-readable codes in `error.code`. */
export type WfErrorCode = "INVALID_TOKEN" | "INVALID_CREDENTIALS" | "UNSUPPORTED_GRANT_TYPE" | "INVALID_REQUEST" | "INVALID_PAGE_TOKEN" | "ACCOUNT_NOT_FOUND";

/** Answers with a Wells Fargo error envelope. */
export function sendWfError(res: Response, status: number, code: WfErrorCode, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/** `bank.guard(kind)`, still counting and checking the token, with its 401 body in Wells Fargo style. */
export function wfGuard(bank: MockBankContext, kind: CallKind): RequestHandler {
  const guard = bank.guard(kind);
  return (req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) =>
      res.statusCode === 401 ? json({ error: { code: "INVALID_TOKEN", message: "The access token is missing, invalid or expired" } }) : json(body);
    guard(req, res, () => {
      res.json = json;
      next();
    });
  };
}
