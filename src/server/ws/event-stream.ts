/**
 * graphql-ws's `subscribe` for the gateway (steps 6 and 7 of src/server/pipeline/, per event).
 * The schema's subscription fields yield deliveries — `{ payload, context }`, where `context` was
 * made for that one event (src/schema/subscriptions/deliveries.ts). Each is executed with its own
 * context, never the subscription's, and its access-log record is committed before the result is
 * handed to graphql-ws to send: if it cannot be recorded, the event's data does not leave.
 * Each result names its event in `extensions.event` (eventId, cursor, occurredAt): the payload
 * types are shared with queries, so the event's identity travels beside the data, like an SSE `id:`.
 * A withheld event (no record, no data) carries no cursor: it was not delivered, so a client that
 * resumes after its last cursor gets it again.
 */
import { createSourceEventStream, execute, getOperationAST, GraphQLError, type ExecutionArgs, type ExecutionResult } from "graphql";
import { mapEvents } from "../../realtime/map-events.js";
import type { Delivery, EventMeta } from "../../schema/subscriptions/deliveries.js";
import { unrecordedReadError, type RequestPipeline } from "../pipeline/index.js";

/** The `subscribe` option of graphql-ws for `pipeline`. */
export function eventStream(pipeline: RequestPipeline): (args: ExecutionArgs) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  return async (args) => {
    const source = await createSourceEventStream(args);
    // A result instead of a stream: the subscribe resolver refused (its errors are the answer).
    if (!(Symbol.asyncIterator in source)) return source;
    const operationName = getOperationAST(args.document, args.operationName)?.name?.value ?? null;
    const deliveries = (source as AsyncIterable<Delivery<unknown>>)[Symbol.asyncIterator]();
    return mapEvents(deliveries, async ({ payload, context, event }) => {
      const result = await execute({ ...args, rootValue: payload, contextValue: context });
      const extensions = { ...result.extensions, event: eventExtension(event) };
      if (await pipeline.commitAccessLog(context, operationName)) return { ...result, extensions };
      return { errors: [unrecordedReadError() satisfies GraphQLError] };
    });
  };
}

/** `extensions.event` of each event, made once however many subscriptions send it (keyed weakly on the event's shared meta). Read-only. */
const extensionsOf = new WeakMap<EventMeta, { eventId: string; cursor: string; occurredAt: string }>();

function eventExtension(event: EventMeta): { eventId: string; cursor: string; occurredAt: string } {
  let extension = extensionsOf.get(event);
  if (!extension) extensionsOf.set(event, (extension = { eventId: event.eventId, cursor: event.cursor, occurredAt: event.occurredAt.toISOString() }));
  return extension;
}
