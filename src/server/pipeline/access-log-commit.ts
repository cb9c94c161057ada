/**
 * Step 7 — the access-log commit, "no record, no data": the (link, scope) reads a response (or a
 * subscription event) carries are written to the access log before it leaves. If they cannot be
 * written, the data does not leave: the transport sends {@link UNRECORDED_READ} instead. Concurrent
 * commits share one write (the access log's group commit, src/store/group-commit.ts).
 */
import type { GraphQLFormattedError } from "graphql";
import { ErrorCode, GatewayError } from "../../errors.js";
import type { GatewayContext } from "../../request/gateway-context.js";

/** What the caller gets instead of data whose read could not be recorded. */
export const UNRECORDED_READ: GraphQLFormattedError = {
  message: "The read could not be recorded, so no data is returned. Try again.",
  extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
};

/** {@link UNRECORDED_READ} as an error to put in a result (a subscription event's). */
export function unrecordedReadError(): GatewayError {
  return new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, UNRECORDED_READ.message);
}

/**
 * Writes what `context` recorded; resolves true when there was nothing to write or it is written,
 * false when the write failed (after telling `onFailure`) — then the data must not be sent.
 */
export async function commitAccessLog(context: GatewayContext, operationName: string | null, onFailure: (error: unknown) => void): Promise<boolean> {
  const { access, identity, requestId, services } = context;
  if (access.size === 0) return true;
  const records = access.drain({ userId: identity.userId, clientId: identity.clientId, operationName, requestId, at: services.clock.now() });
  try {
    await services.accessLog.append(records);
    return true;
  } catch (error) {
    onFailure(error);
    return false;
  }
}
