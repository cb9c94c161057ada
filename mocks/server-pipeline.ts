/**
 * Middleware in front of every mock bank's own routes, shaped so that a bank data call (a GET with
 * a bearer token, the call every benchmark makes thousands of times) passes it cheaply: the body
 * parsers step aside for requests without a body, and the bank's HTML pages are entered only for
 * their own paths. Same answers as the plain stack, fewer express layers per call.
 */
import express, { type Request, type RequestHandler } from "express";

/**
 * JSON and form bodies (the account-choice form of a customer with 1,000 accounts posts ~1,000
 * fields, over body-parser's defaults), parsed only when the request has one: the same test as
 * body-parser's own (`type-is` hasBody), so what they parse is unchanged.
 */
export function requestBodies(): RequestHandler {
  const json = express.json({ limit: "1mb" });
  const form = express.urlencoded({ extended: false, limit: "1mb", parameterLimit: 10_000 });
  return (req, res, next) => {
    if (!hasBody(req)) return next();
    json(req, res, (error?: unknown) => (error ? next(error) : form(req, res, next)));
  };
}

/** `handler` (a router of pages) for requests at or under one of `paths`; every other request goes straight on. */
export function onlyAt(paths: readonly string[], handler: RequestHandler): RequestHandler {
  const prefixes = paths.map((path) => `${path.toLowerCase()}/`);
  const exact = paths.map((path) => path.toLowerCase());
  return (req, res, next) => {
    // express matches routes case-insensitively, and with or without a trailing slash.
    const path = req.path.toLowerCase();
    if (exact.includes(path) || prefixes.some((prefix) => path.startsWith(prefix))) return handler(req, res, next);
    next();
  };
}

function hasBody(req: Request): boolean {
  return req.headers["transfer-encoding"] !== undefined || !Number.isNaN(Number(req.headers["content-length"]));
}
