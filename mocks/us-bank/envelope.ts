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
 * The shared mock framework answers an unknown path (404) with its own `{ error }` body; U.S. Bank
 * answers in its envelope, so this rewrites it for requests under its base path. (A refused
 * token's 401 / 403 is already in the envelope: `usBankRefusal`, authorization.ts.)
 */
export function usBankErrorBodies(): RequestHandler {
  return (_req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const framework = typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "string";
      if (framework && res.statusCode === 404) {
        return json({ ResponseData: null, Status: { Code: "4040", Message: "Resource not found" } });
      }
      return json(body);
    };
    next();
  };
}
