/**
 * graphql-ws's `subscribe` for the gateway (steps 6 and 7 of src/server/pipeline/, per event).
 * The schema's subscription fields yield deliveries — `{ payload, context }`, where `context` was
 * made for that one event (src/schema/subscriptions/deliveries.ts). Each is executed with its own
 * context, never the subscription's, and its access-log record is committed before the result is
 * handed to graphql-ws to send: if it cannot be recorded, the event's data does not leave.
 */
import { createSourceEventStream, execute, getOperationAST, GraphQLError, type ExecutionArgs, type ExecutionResult } from "graphql";
import type { Delivery } from "../../schema/subscriptions/deliveries.js";
import { unrecordedReadError, type RequestPipeline } from "../pipeline/index.js";

/** The `subscribe` option of graphql-ws for `pipeline`. */
export function eventStream(pipeline: RequestPipeline): (args: ExecutionArgs) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  return async (args) => {
    const source = await createSourceEventStream(args);
    // A result instead of a stream: the subscribe resolver refused (its errors are the answer).
    if (!(Symbol.asyncIterator in source)) return source;
    const operationName = getOperationAST(args.document, args.operationName)?.name?.value ?? null;
    const deliveries = (source as AsyncIterable<Delivery<unknown>>)[Symbol.asyncIterator]();
    return mapEvents(deliveries, async ({ payload, context }) => {
      const result = await execute({ ...args, rootValue: payload, contextValue: context });
      if (await pipeline.commitAccessLog(context, operationName)) return result;
      return { errors: [unrecordedReadError() satisfies GraphQLError] };
    });
  };
}

/**
 * `source` mapped one event at a time. Hand-made rather than an async generator: graphql-ws ends a
 * subscription with `return()`, which must reach `source` at once — an async generator would queue
 * it behind the `next()` that is waiting for the next bank event, keeping the subscriber registered.
 */
function mapEvents<T, R>(source: AsyncIterator<T>, map: (value: T) => Promise<R>): AsyncIterableIterator<R> {
  return {
    async next() {
      const event = await source.next();
      if (event.done) return { done: true, value: undefined };
      return { done: false, value: await map(event.value) };
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
