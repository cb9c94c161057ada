/**
 * Citi's gateway (IBM API Connect) error body: `{ httpCode, httpMessage, moreInformation }`.
 */
import type { RequestHandler, Response } from "express";

/** Answers with Citi's error body. */
export function citiError(res: Response, status: number, httpMessage: string, moreInformation: string): void {
  res.status(status).json({ httpCode: String(status), httpMessage, moreInformation });
}

/**
 * The shared mock framework answers an unknown path (404) with its own `{ error }` body; Citi
 * answers everything in its own shape, so this rewrites it for requests under Citi's base path.
 * (A refused token's 401 / 403 is already Citi's: `citiRefusal`, authorization.ts.)
 */
export function citiErrorBodies(): RequestHandler {
  return (_req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode === 404 && isFrameworkError(body)) {
        return json({ httpCode: "404", httpMessage: "Not Found", moreInformation: "No resource matches the request." });
      }
      return json(body);
    };
    next();
  };
}

function isFrameworkError(body: unknown): boolean {
  return typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "string";
}
