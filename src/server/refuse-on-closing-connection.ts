/**
 * Part of graceful shutdown. When the drain starts, Apollo's drain plugin half-closes (`end()`)
 * every connection that has no request in progress. A request whose bytes were already on their
 * way on such a connection is still parsed and would run — bank calls, access-log rows — yet its
 * response can never be written: an accepted request lost. This middleware, mounted first, drops
 * any request that arrives on a connection we have already ended, before anything runs, so the
 * client sees a refused connection and may safely retry elsewhere.
 */
import type { RequestHandler } from "express";

export const refuseOnClosingConnection: RequestHandler = (req, _res, next) => {
  if (req.socket.writableEnded) {
    req.socket.destroy();
    return;
  }
  next();
};
