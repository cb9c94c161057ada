/**
 * The request body: POST must be `application/json` (415 otherwise), at most `maxBodyBytes`
 * (413), valid JSON (400). Each refusal is a GraphQL-shaped JSON error with code BAD_REQUEST —
 * never express's HTML error page, which would carry a stack trace.
 */
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { ErrorCode, GatewayError } from "../../errors.js";
import { sendRequestError } from "./send-request-error.js";

const badRequest = (message: string) => new GatewayError(ErrorCode.BAD_REQUEST, message);

/** POST bodies other than JSON are refused before parsing (forms, text/plain, no type). */
const requireJsonContentType: RequestHandler = (req, res, next) => {
  const mediaType = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  if (req.method !== "POST" || mediaType === "application/json") return next();
  sendRequestError(req, res, badRequest("POST requests must have Content-Type: application/json"), 415);
};

/** Turns body-parser's errors into JSON answers; other errors go on to express. */
function bodyErrors(maxBodyBytes: number): ErrorRequestHandler {
  return (error, req, res, next) => {
    const type = (error as { type?: string }).type;
    if (type === "entity.too.large") {
      sendRequestError(req, res, badRequest(`The request body is larger than ${maxBodyBytes} bytes`), 413);
    } else if (type === "entity.parse.failed") {
      sendRequestError(req, res, badRequest("The request body is not valid JSON"), 400);
    } else if (type === "charset.unsupported" || type === "encoding.unsupported") {
      sendRequestError(req, res, badRequest("The request body must be UTF-8 JSON"), 415);
    } else if (typeof (error as { status?: number }).status === "number" && (error as { expose?: boolean }).expose) {
      sendRequestError(req, res, badRequest("The request body could not be read"), (error as { status: number }).status);
    } else {
      next(error);
    }
  };
}

/** The middlewares that read a request body, in order; mount before the GraphQL handler. */
export function jsonBody(maxBodyBytes: number): Array<RequestHandler | ErrorRequestHandler> {
  return [requireJsonContentType, express.json({ limit: maxBodyBytes }), bodyErrors(maxBodyBytes)];
}
