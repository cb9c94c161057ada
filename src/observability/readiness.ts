/**
 * `GET /readyz`: may this instance take traffic? 200 when the store answers `SELECT 1` in time;
 * 503 when it does not, and from the moment a shutdown starts (so a load balancer stops sending
 * requests before the listener closes). `/healthz` stays the liveness probe: it never touches the store.
 */
import type { RequestHandler } from "express";
import type { Queryable } from "../store/database.js";
import type { Logger } from "./logger.js";

export interface ReadinessOptions {
  db: Queryable;
  logger: Logger;
  /** Longest wait for the store, in ms. Default 2000. */
  timeoutMs?: number;
}

export interface Readiness {
  handler: RequestHandler;
  /** From now on answer 503: the instance is draining. */
  markShuttingDown(): void;
}

export function createReadiness({ db, logger, timeoutMs = 2000 }: ReadinessOptions): Readiness {
  let shuttingDown = false;

  const storeAnswers = async (): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([db.query("SELECT 1").then(() => true), timeout]);
    } catch (error) {
      logger.warn({ err: error }, "readiness: store check failed");
      return false;
    } finally {
      clearTimeout(timer);
    }
  };

  const handler: RequestHandler = async (_req, res) => {
    res.setHeader("cache-control", "no-store");
    if (shuttingDown) return void res.status(503).json({ status: "shutting_down" });
    if (!(await storeAnswers())) return void res.status(503).json({ status: "unavailable", store: "down" });
    res.json({ status: "ready", store: "up" });
  };

  return {
    handler,
    markShuttingDown() {
      shuttingDown = true;
    },
  };
}
