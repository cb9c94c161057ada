/**
 * Part of graceful shutdown. When the drain starts, Apollo's drain plugin half-closes (`end()`)
 * every connection that has no request in progress. A request whose bytes were already on their
 * way on such a connection is still parsed and would run — bank calls, access-log rows — yet its
 * response can never be written: an accepted request lost. Every request is first put to
 * {@link droppedOnClosingConnection}, before anything runs, so the client sees a refused
 * connection and may safely retry elsewhere.
 */
import type { RequestHandler } from "express";
import type { IncomingMessage } from "node:http";

/** Drops `req` if it arrived on a connection we have already ended; true when it did. */
export function droppedOnClosingConnection(req: IncomingMessage): boolean {
  if (!req.socket.writableEnded) return false;
  req.socket.destroy();
  return true;
}

/** The same as express middleware, mounted first on the pages' app. */
export const refuseOnClosingConnection: RequestHandler = (req, _res, next) => {
  if (!droppedOnClosingConnection(req)) next();
};
