/**
 * `POST /bank-notifications/:institution`: the HTTP face of {@link BankNotificationIntake} (RFC 8935
 * push delivery of Security Event Tokens). The body is read as text whatever its content type, so
 * the intake can refuse a wrong one by name instead of the parser answering for it.
 */
import express, { type ErrorRequestHandler, type Router } from "express";
import type { Logger } from "../observability/logger.js";
import type { BankNotificationIntake } from "./bank-notification-intake.js";

/** Largest SET accepted; one event is well under 2 kB. */
const BODY_LIMIT = "32kb";

/** The router to mount at `/bank-notifications`. */
export function bankNotificationRouter(intake: BankNotificationIntake, logger: Logger): Router {
  const router = express.Router();
  router.post("/:institution", express.text({ type: () => true, limit: BODY_LIMIT }), async (req, res, next) => {
    try {
      const body = typeof req.body === "string" ? req.body : "";
      const answer = await intake.receive(String(req.params.institution), req.get("content-type"), body);
      if (answer.body === null) return void res.status(answer.status).end();
      res.status(answer.status).json(answer.body);
    } catch (error) {
      next(error);
    }
  });
  const onError: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, _next) => {
    if (error.type === "entity.too.large") return void res.status(413).json({ err: "invalid_request", description: `Body larger than ${BODY_LIMIT}` });
    if (typeof error.status === "number" && error.status >= 400 && error.status < 500) {
      return void res.status(error.status).json({ err: "invalid_request", description: "Unreadable request" });
    }
    logger.error({ err: error }, "bank notification handling failed");
    res.status(500).json({ err: "internal_error", description: "Internal server error" });
  };
  router.use(onError);
  return router;
}
