/**
 * Builds the executable schema: type-graphql code-first types, their resolver methods called
 * directly where type-graphql's handler would only pass values through (direct-resolvers.ts),
 * then the one consent transform that wraps `@requiresScopes` fields. `printGatewaySchema` is what
 * `schema.graphql` holds.
 */
import "reflect-metadata";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { lexicographicSortSchema, specifiedDirectives, type GraphQLSchema } from "graphql";
import { buildSchema, type BuildSchemaOptions as TypeGraphqlBuildOptions } from "type-graphql";
import { applyRequiresScopes, requiresScopesDirective } from "../consent/requires-scopes.js";
import { callResolverMethodsDirectly } from "./direct-resolvers.js";
import { AccessLogResolver } from "./resolvers/access-log.resolver.js";
import { AccountResolver } from "./resolvers/account.resolver.js";
import { ConnectSessionResolver } from "./resolvers/connect-session.resolver.js";
import { ConsentResolver } from "./resolvers/consent.resolver.js";
import { EventsResolver } from "./resolvers/events.resolver.js";
import { InstitutionResolver } from "./resolvers/institution.resolver.js";
import { LinkResolver } from "./resolvers/link.resolver.js";
import { NodeResolver } from "./resolvers/node.resolver.js";
import { PaymentResolver } from "./resolvers/payment.resolver.js";
import { RealtimeResolver, unusedTypeGraphqlPubSub } from "./resolvers/realtime.resolver.js";
import { TransactionResolver } from "./resolvers/transaction.resolver.js";
import { describeSchema } from "./schema-description.js";

export const RESOLVERS = [
  EventsResolver,
  InstitutionResolver,
  LinkResolver,
  AccountResolver,
  TransactionResolver,
  NodeResolver,
  ConsentResolver,
  ConnectSessionResolver,
  PaymentResolver,
  AccessLogResolver,
  RealtimeResolver,
] as const;

export interface BuildSchemaOptions {
  /** Wrap @requiresScopes fields (default true). Off only for the benchmark's "consent off" run. */
  enforceConsent?: boolean;
}

let cached: Promise<GraphQLSchema> | undefined;

async function buildTypeGraphqlSchema(): Promise<GraphQLSchema> {
  const options: TypeGraphqlBuildOptions = {
    resolvers: [...RESOLVERS],
    directives: [...specifiedDirectives, requiresScopesDirective],
    pubSub: unusedTypeGraphqlPubSub,
    validate: false,
  };
  const schema = await buildSchema(options);
  callResolverMethodsDirectly(schema, options);
  return describeSchema(schema);
}

export async function buildGatewaySchema(options: BuildSchemaOptions = {}): Promise<GraphQLSchema> {
  cached ??= buildTypeGraphqlSchema();
  const schema = await cached;
  return options.enforceConsent === false ? schema : applyRequiresScopes(schema);
}

/** The SDL of the public contract, directives included, sorted for stable diffs. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${printSchemaWithDirectives(lexicographicSortSchema(schema)).trim()}\n`;
}
