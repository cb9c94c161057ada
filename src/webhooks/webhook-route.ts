/**
 * `POST /webhooks/:institution`: the HTTP face of {@link WebhookIntake}. The body is read raw
 * (never through express.json), because the signature is over the exact bytes the bank sent.
 */
import express, { type ErrorRequestHandler, type Router } from "express";
import type { Logger } from "../observability/logger.js";
import type { WebhookIntake } from "./webhook-intake.js";

/** Largest delivery accepted; a bank's batch of events is far smaller. */
const BODY_LIMIT = "256kb";

/** The router to mount at `/webhooks`. */
export function webhookRouter(intake: WebhookIntake, logger: Logger): Router {
  const router = express.Router();
  router.post("/:institution", express.raw({ type: () => true, limit: BODY_LIMIT }), async (req, res, next) => {
    try {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const answer = await intake.receive(String(req.params.institution), (name) => req.get(name), rawBody);
      res.status(answer.status).json(answer.body);
    } catch (error) {
      next(error);
    }
  });
  const onError: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, _next) => {
    if (error.type === "entity.too.large") return void res.status(413).json({ error: `Body larger than ${BODY_LIMIT}` });
    if (typeof error.status === "number" && error.status >= 400 && error.status < 500) {
      return void res.status(error.status).json({ error: "Unreadable request" });
    }
    logger.error({ err: error }, "webhook handling failed");
    res.status(500).json({ error: "Internal server error" });
  };
  router.use(onError);
  return router;
}
