/**
 * Citi's gateway (IBM API Connect) error body: `{ httpCode, httpMessage, moreInformation }`.
 */
import type { RequestHandler, Response } from "express";

/** Answers with Citi's error body. */
export function citiError(res: Response, status: number, httpMessage: string, moreInformation: string): void {
  res.status(status).json({ httpCode: String(status), httpMessage, moreInformation });
}

/**
 * Citi's 404 for an unknown path (or method) under its base path, where the shared mock framework
 * would answer its own `{ error }` body: mounted after every Citi route, so only requests no route
 * took reach it. (A refused token's 401 / 403 is already Citi's: `citiRefusal`, authorization.ts.)
 *
 * Not a `res.json` wrapper put on every request: a function stored on each response kept the
 * whole request (request, response, socket state) alive past young-generation collection, so that
 * every Citi call left ~2–3 KB in the old generation of the ~1 GB mock heap.
 */
export function citiNotFound(): RequestHandler {
  return (_req, res) => citiError(res, 404, "Not Found", "No resource matches the request.");
}
