/**
 * Middleware in front of every mock bank's own routes, shaped so that a bank data call (a GET with
 * a bearer token, the call every benchmark makes thousands of times) passes it cheaply: the body
 * parsers step aside for requests without a body, the bank's HTML pages and its events feed are
 * entered only for their own paths, and the whole front runs as one express layer (`inSequence`)
 * rather than one per middleware (each express layer costs a router step and its allocations on
 * every call). Same answers as the plain stack.
 */
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { IncomingMessage, ServerResponse, type ServerOptions } from "node:http";

/**
 * JSON and form bodies (the account-choice form of a customer with 1,000 accounts posts ~1,000
 * fields, over body-parser's defaults), parsed only when the request has one: the same test as
 * body-parser's own (`type-is` hasBody), so what they parse is unchanged.
 */
export function requestBodies(): RequestHandler {
  const json = express.json({ limit: BODY_LIMIT });
  const form = express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 10_000 });
  return (req, res, next) => {
    if (!hasBody(req)) return next();
    if (isPlainJson(req)) return readPlainJson(req, next);
    json(req, res, (error?: unknown) => (error ? next(error) : form(req, res, next)));
  };
}

const BODY_LIMIT = 1_048_576;
const PLAIN_JSON_TYPE = /^application\/json\s*(?:;\s*charset="?utf-8"?\s*)?$/i;

/**
 * The body a bank data call posts (a small UTF-8 JSON document with its length given), which is
 * read here straight from the stream instead of through body-parser's general reader (charsets,
 * content encodings, streamed lengths: all left to it). What body-parser's strict JSON parser
 * would set `req.body` to, or refuse with its 400 `entity.parse.failed`.
 */
function isPlainJson(req: Request): boolean {
  const length = Number(req.headers["content-length"]);
  const type = req.headers["content-type"];
  return (
    type !== undefined &&
    PLAIN_JSON_TYPE.test(type) &&
    req.headers["content-encoding"] === undefined &&
    req.headers["transfer-encoding"] === undefined &&
    Number.isInteger(length) &&
    length > 0 &&
    length <= BODY_LIMIT
  );
}

function readPlainJson(req: Request, next: NextFunction): void {
  const expected = Number(req.headers["content-length"]);
  const chunks: Buffer[] = [];
  let received = 0;
  let settled = false;
  const settle = (error?: unknown) => {
    if (settled) return;
    settled = true;
    req.off("data", onData).off("end", onEnd).off("aborted", onAborted).off("error", settle);
    next(error);
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    chunks.push(chunk);
  };
  const onAborted = () => settle(badRequest("request aborted", { code: "ECONNABORTED", expected, received, type: "request.aborted" }));
  const onEnd = () => {
    if (received !== expected) return settle(badRequest("request size did not match content length", { expected, received, type: "request.size.invalid" }));
    const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString("utf8");
    // Whitespace beyond JSON's own four ends up refused by JSON.parse below: a 400 either way.
    const first = text.trimStart()[0];
    try {
      if (first !== "{" && first !== "[") throw new SyntaxError(`Unexpected token '${first ?? ""}', JSON body must be an object or array`);
      req.body = JSON.parse(text) as unknown;
    } catch (error) {
      return settle(badRequest((error as Error).message, { body: text, type: "entity.parse.failed" }));
    }
    settle();
  };
  req.on("data", onData).on("end", onEnd).on("aborted", onAborted).on("error", settle);
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

/** A 400 as body-parser makes it (http-errors' shape: status, expose, and what went wrong in `type`). */
function badRequest(message: string, details: Record<string, unknown>): Error {
  return Object.assign(new Error(message), { status: 400, statusCode: 400, expose: true, ...details });
}

function hasBody(req: Request): boolean {
  return req.headers["transfer-encoding"] !== undefined || !Number.isNaN(Number(req.headers["content-length"]));
}

/**
 * The app's `res.json` writes the JSON text with its two headers and ends the response, for the
 * answer every data call gets (a plain 2xx or error status, no content type set before it, not a
 * HEAD or conditional request): express's own goes through `res.send`, which parses and formats the
 * content type again, copies the text into a Buffer and checks freshness on every call. Anything
 * else is express's own `res.json`. Same bytes on the wire, same headers, in the same order.
 */
export function answerJsonDirectly(app: Express): void {
  const expressJson = app.response.json;
  app.response.json = function json(this: Response, body: unknown) {
    const { method, headers } = this.req;
    const plain =
      method !== "HEAD" &&
      headers["if-none-match"] === undefined &&
      headers["if-modified-since"] === undefined &&
      this.statusCode !== 204 &&
      this.statusCode !== 205 &&
      this.statusCode !== 304 &&
      !this.hasHeader("content-type") &&
      !this.hasHeader("transfer-encoding");
    const text = plain ? (JSON.stringify(body) as string | undefined) : undefined;
    if (text === undefined) return expressJson.call(this, body);
    this.setHeader("Content-Type", "application/json; charset=utf-8");
    this.setHeader("Content-Length", Buffer.byteLength(text));
    this.end(text, "utf8");
    return this;
  };
}

const PARSED_QUERY = Symbol("parsedQuery");

/**
 * The app's `req.query` parses the query string once per request: express 5's getter parses it on
 * every read, and a bank route reads it once per parameter (PayPal's transaction search: six times
 * a call). The same object is answered to every read.
 */
export function queryParsedOnce(app: Express): void {
  const descriptor: { get?: (this: Request) => Request["query"] } | undefined = Object.getOwnPropertyDescriptor(express.request, "query");
  const parse = descriptor?.get;
  if (!parse) throw new Error("express.request has no query getter");
  Object.defineProperty(app.request, "query", {
    configurable: true,
    enumerable: true,
    get(this: Request & { [PARSED_QUERY]?: Request["query"] }): Request["query"] {
      return (this[PARSED_QUERY] ??= parse.call(this));
    },
  });
}

/**
 * `handlers` run one after the other as a single express layer: each one's `next()` starts the
 * following one, and the last one's goes on past the layer. As express does for a layer: an error
 * passed to `next`, thrown, or rejected by a returned promise skips the rest and goes on as that
 * error; `next("route")` just goes on to the following handler.
 */
export function inSequence(handlers: readonly RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let index = 0;
    const step = (signal?: unknown): void => {
      if (signal !== undefined && signal !== null && signal !== "route") return next(signal);
      const handler = handlers[index++];
      if (!handler) return next();
      try {
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise) result.catch((error: unknown) => next(error ?? new Error("Rejected promise")));
      } catch (error) {
        next(error);
      }
    };
    step();
  };
}

/**
 * `createServer` options under which the app's requests and responses are born with the app's own
 * prototypes (`app.request`, `app.response`), so that express's `Object.setPrototypeOf` on every
 * request and response finds them already in place and changes nothing. Changing an object's
 * prototype is what V8 handles worst: each call made the pair's objects cost ~3x the allocation, and
 * a third of a call's garbage outlived the young-generation collection (promoted, collected only
 * by a full collection of the whole mock heap), so that every scavenge took ~10 ms instead of ~1.
 * Same objects, same prototype chain as express makes them.
 */
export function bornWithAppPrototypes(app: Express): Pick<ServerOptions, "IncomingMessage" | "ServerResponse"> {
  class AppRequest extends IncomingMessage {}
  class AppResponse<Req extends IncomingMessage = IncomingMessage> extends ServerResponse<Req> {}
  Object.setPrototypeOf(AppRequest.prototype, app.request);
  Object.setPrototypeOf(AppResponse.prototype, app.response);
  app.request = AppRequest.prototype as Express["request"];
  app.response = AppResponse.prototype as Express["response"];
  return { IncomingMessage: AppRequest, ServerResponse: AppResponse };
}
