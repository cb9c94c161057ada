/**
 * U.S. Bank's envelope: every answer, success or failure, is
 * `{ ResponseData, Status: { Code, Message } }`; "0000" is success, failures use the HTTP
 * status followed by a digit ("4000", "4010", "4040").
 */
import type { RequestHandler, Response } from "express";

/** A success answer in the envelope. */
export function usBankOk(res: Response, responseData: unknown): void {
  res.json({ ResponseData: responseData, Status: { Code: "0000", Message: "Success" } });
}

/** A failure answer in the envelope; the code is the HTTP status followed by 0. */
export function usBankError(res: Response, status: 400 | 401 | 404, message: string): void {
  res.status(status).json({ ResponseData: null, Status: { Code: `${status}0`, Message: message } });
}

/**
 * U.S. Bank's 404 for an unknown path (or method) under its base path, in its envelope, where the
 * shared mock framework would answer its own `{ error }` body: mounted after every U.S. Bank
 * route, so only requests no route took reach it. (A refused token's 401 / 403 is already in the
 * envelope: `usBankRefusal`, authorization.ts.)
 *
 * Not a `res.json` wrapper put on every request: a function stored on each response kept the
 * whole request (request, response, socket state) alive past young-generation collection, so that
 * every call left ~2–3 KB in the old generation of the ~1 GB mock heap.
 */
export function usBankNotFound(): RequestHandler {
  return (_req, res) => usBankError(res, 404, "Resource not found");
}
