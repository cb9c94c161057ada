/**
 * The mock cluster admin's event endpoints (tests and tools drive bank events through these):
 *
 * - `POST /banks/:id/events` `{ kind, customer?, accountId?, amountMinor?, merchant?, transactionId?, receiptId?, status? }`
 *   → 200 `{ event, delivery, sequence }`: the change is made in the bank's data, the event numbered
 *   and its delivery queued, signed; `delivery` is the first attempt's answer (`outcome` "retrying"
 *   while the bank keeps trying in the background, "queued" behind earlier events still retried).
 * - `POST /banks/:id/events/:eventId/redeliver` → 200 `{ delivery }`: the same event again, once (a replay).
 * - `GET /banks/:id/deliveries` → `{ delivered, refused, abandoned: [eventId…], waiting, lastSequence }`.
 * - `GET` / `PUT /webhook-target` `{ url }`: where banks send webhooks (`<url>/<bankId>`).
 */
import { Router } from "express";
import { z } from "zod";
import { ClusterEvents, EventsUnavailable } from "./cluster-events.js";
import { MockEventError } from "./make-event.js";
import { MOCK_EVENT_KINDS } from "./mock-bank-event.js";

const eventRequest = z.strictObject({
  kind: z.enum(MOCK_EVENT_KINDS),
  customer: z.string().min(1).optional(),
  accountId: z.string().min(1).optional(),
  amountMinor: z.number().int().positive().max(100_000_000).optional(),
  merchant: z.string().min(1).optional(),
  transactionId: z.string().min(1).optional(),
  receiptId: z.string().min(1).optional(),
  status: z.enum(["label_created", "in_transit", "out_for_delivery", "delivered", "exception"]).optional(),
});

const target = z.strictObject({ url: z.string().url().nullable() });

/** Routes to mount on the admin app (which already parses JSON bodies). */
export function adminEventRoutes(events: ClusterEvents): Router {
  const router = Router();
  const failed = (res: import("express").Response, error: unknown) => {
    if (error instanceof EventsUnavailable || error instanceof MockEventError) return void res.status(error.status).json({ error: error.message });
    throw error;
  };

  router.post("/banks/:id/events", async (req, res) => {
    const request = eventRequest.safeParse(req.body);
    if (!request.success) return void res.status(400).json({ error: z.prettifyError(request.error) });
    try {
      res.json(await events.emit(String(req.params.id), request.data));
    } catch (error) {
      failed(res, error);
    }
  });

  router.post("/banks/:id/events/:eventId/redeliver", async (req, res) => {
    try {
      const delivery = await events.redeliver(String(req.params.id), String(req.params.eventId));
      if (!delivery) return void res.status(404).json({ error: "The bank never sent that event" });
      res.json({ delivery });
    } catch (error) {
      failed(res, error);
    }
  });

  router.get("/banks/:id/deliveries", (req, res) => {
    try {
      res.json(events.deliveries(String(req.params.id)));
    } catch (error) {
      failed(res, error);
    }
  });

  router.get("/webhook-target", (_req, res) => {
    res.json({ url: events.webhookTarget ?? null });
  });
  router.put("/webhook-target", (req, res) => {
    const body = target.safeParse(req.body);
    if (!body.success) return void res.status(400).json({ error: "Body must be { url: string | null }" });
    events.setWebhookTarget(body.data.url ?? undefined);
    res.json({ url: events.webhookTarget ?? null });
  });
  return router;
}
