/**
 * HTTP adapter of pipeline steps 4 and 7 (src/server/pipeline/), as an Apollo Server plugin: the
 * cost limit once Apollo has resolved the operation (before any resolver runs), and the
 * access-log commit before the response leaves — if the read cannot be recorded, the response
 * carries no data and answers 503.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import type { GatewayContext } from "../../request/gateway-context.js";
import { UNRECORDED_READ, type RequestPipeline } from "../pipeline/index.js";

/** The plugin for `pipeline`. */
export function pipelinePlugin(pipeline: RequestPipeline): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          pipeline.checkCost({ document, operation, operationName: request.operationName, variables: request.variables });
        },
        async willSendResponse({ contextValue, response, operationName }) {
          if (await pipeline.commitAccessLog(contextValue, operationName ?? null)) return;
          if (response.body.kind === "single") {
            response.body.singleResult = { errors: [UNRECORDED_READ] };
            response.http.status = 503;
          }
        },
      };
    },
  };
}
