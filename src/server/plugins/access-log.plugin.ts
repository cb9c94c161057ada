/**
 * Writes the request's access records before the response leaves. If the record cannot be
 * written, the response carries no data: a read that is not on the record did not happen.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { ErrorCode } from "../../errors.js";
import type { GatewayContext } from "../../request/gateway-context.js";

export function accessLogPlugin(onFailure: (error: unknown) => void): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, operationName }) {
          const { access, identity, requestId, services } = contextValue;
          if (!access || access.size === 0) return;
          const records = access.drain({
            userId: identity.userId,
            clientId: identity.clientId,
            operationName: operationName ?? null,
            requestId,
            at: services.clock.now(),
          });
          try {
            await services.accessLog.append(records);
          } catch (error) {
            onFailure(error);
            if (response.body.kind === "single") {
              response.body.singleResult = {
                errors: [{ message: "The read could not be recorded, so no data is returned. Try again.", extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }],
              };
              response.http.status = 503;
            }
          }
        },
      };
    },
  };
}
