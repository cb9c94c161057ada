/**
 * The request body: POST must be `application/json` (415 otherwise), at most `maxBodyBytes`
 * (413), valid UTF-8 JSON (400, 415). Each refusal is a GatewayError with code BAD_REQUEST and the
 * status to answer it with — never express's HTML error page, which would carry a stack trace.
 * The parsing itself is express's (body-parser), which works on node's own request.
 */
import express from "express";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ErrorCode, GatewayError } from "../../errors.js";

/** A body refused, and the HTTP status that says why. */
export interface BodyRefusal {
  error: GatewayError;
  status: number;
}

const refusal = (message: string, status: number): BodyRefusal => ({ error: new GatewayError(ErrorCode.BAD_REQUEST, message), status });

/** body-parser's errors as refusals; anything else is not the client's fault and is rethrown. */
function refusalOf(error: unknown, maxBodyBytes: number): BodyRefusal {
  const type = (error as { type?: string }).type;
  if (type === "entity.too.large") return refusal(`The request body is larger than ${maxBodyBytes} bytes`, 413);
  if (type === "entity.parse.failed") return refusal("The request body is not valid JSON", 400);
  if (type === "charset.unsupported" || type === "encoding.unsupported") return refusal("The request body must be UTF-8 JSON", 415);
  const status = (error as { status?: unknown }).status;
  if (typeof status === "number" && (error as { expose?: boolean }).expose) return refusal("The request body could not be read", status);
  throw error;
}

/**
 * Reads a POST's JSON body into `req.body`; resolves with the refusal when there is one. A request
 * of another method is left as it is.
 */
export function jsonBodyReader(maxBodyBytes: number): (req: IncomingMessage, res: ServerResponse) => Promise<BodyRefusal | undefined> {
  const parse = express.json({ limit: maxBodyBytes });
  return (req, res) => {
    if (req.method !== "POST") return Promise.resolve(undefined);
    const mediaType = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
    if (mediaType !== "application/json") return Promise.resolve(refusal("POST requests must have Content-Type: application/json", 415));
    return new Promise((resolve, reject) => {
      void parse(req, res, (error?: unknown) => {
        if (error === undefined) return resolve(undefined);
        try {
          resolve(refusalOf(error, maxBodyBytes));
        } catch (unexpected) {
          reject(unexpected instanceof Error ? unexpected : new Error(String(unexpected)));
        }
      });
    });
  };
}
