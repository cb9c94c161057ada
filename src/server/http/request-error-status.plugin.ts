/**
 * Applies request-error-status.ts to Apollo's answers: Apollo Server answers every request error
 * (parse, validation, variable coercion, a query limit) with 400 whatever the media type; under
 * `application/json` the spec says 200. Only responses without `data` are request errors — a
 * field error (data present, even null) keeps the status its error carries.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import type { GatewayContext } from "../../request/gateway-context.js";
import { requestErrorStatus } from "./request-error-status.js";
import { responseMediaType } from "./response-media-type.js";

/** The plugin. */
export function requestErrorStatusPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response }) {
          const { http, body } = response;
          if (body.kind !== "single" || http.status === undefined) return;
          const { data, errors } = body.singleResult;
          if (data !== undefined || !errors) return;
          http.status = requestErrorStatus(
            http.status,
            errors.map((error) => error.extensions?.["code"]),
            responseMediaType(request.http?.headers.get("accept")),
          );
        },
      };
    },
  };
}
