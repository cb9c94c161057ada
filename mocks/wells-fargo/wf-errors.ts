/**
 * Wells Fargo's error envelope (`{ error: { code, message } }`); a bad token's 401 and a missing
 * scope's 403 come in it too (`wellsFargoRefusal`, authorization.ts).
 */
import type { Response } from "express";

/** Machine-readable codes in `error.code`. */
export type WfErrorCode = "INVALID_REQUEST" | "INVALID_PAGE_TOKEN" | "ACCOUNT_NOT_FOUND";

/** Answers with a Wells Fargo error envelope. */
export function sendWfError(res: Response, status: number, code: WfErrorCode, message: string): void {
  res.status(status).json({ error: { code, message } });
}
