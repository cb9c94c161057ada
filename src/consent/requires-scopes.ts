/**
 * `@requiresScopes(scopes: [[String!]!]!)` — field-level consent enforcement as ONE schema
 * transform that wraps only annotated fields (and every field of an annotated type). No global
 * middleware: unannotated fields keep their resolvers untouched, so they cost nothing.
 *
 * Semantics (modelled on Apollo Router / Envelop generic-auth): outer list OR, inner list AND;
 * type-level and field-level requirements must both pass; checked against the consent that
 * covers the parent object's link for the calling client. Denied → the resolver never runs (no
 * bank call), the field is null and one UNAUTHORIZED_FIELD_OR_TYPE error stands at its path.
 *
 * The compiling executor runs a derived form of this schema that takes the same decisions for a
 * guarded type's plain fields once per object, where the object enters the answer
 * (requires-scopes-at-entry.ts); this one remains the reference it falls back to.
 */
import { getDirective, MapperKind, mapSchema } from "@graphql-tools/utils";
import {
  defaultFieldResolver,
  DirectiveLocation,
  GraphQLDirective,
  GraphQLList,
  GraphQLNonNull,
  GraphQLString,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from "graphql";
import { Directive } from "type-graphql";
import { ErrorCode, GatewayError } from "../errors.js";
import type { ConsentView, Decision, Denial, DenialReason, ScopeRequirement } from "./consent-view.js";
import type { Scope } from "../domain/consent.js";

export const REQUIRES_SCOPES = "requiresScopes";

export const requiresScopesDirective = new GraphQLDirective({
  name: REQUIRES_SCOPES,
  description:
    "The field (or every field of the type) is returned only when the consent covering its link grants these scopes for the calling app. Outer list: any of; inner list: all of. Otherwise the field is null and an error with extensions.code UNAUTHORIZED_FIELD_OR_TYPE, requiredScopes, institutionId and reason (NOT_GRANTED, EXPIRED, REVOKED, REJECTED, AWAITING_AUTHORIZATION) stands at its path.",
  locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT],
  args: {
    scopes: {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLString))))),
    },
  },
});

/** type-graphql decorator: `@RequiresScopes(["balances:read"])`; several arrays = alternatives. */
export function RequiresScopes(...alternatives: Scope[][]): MethodDecorator & ClassDecorator & PropertyDecorator {
  return Directive(`@${REQUIRES_SCOPES}(scopes: ${JSON.stringify(alternatives)})`);
}

/**
 * A consent denial: UNAUTHORIZED_FIELD_OR_TYPE, with the reason also readable by the gateway's own
 * code, and the consent that decided (`decidedBy`, null when there is none): the error formatter
 * (src/server/format-error.ts) shows it to the app as `extensions.consentId`, the consent's global
 * ID, which this layer cannot mint.
 */
export class ConsentDeniedError extends GatewayError {
  constructor(
    message: string,
    readonly reason: DenialReason,
    details: { requiredScopes: string[][]; institutionId: string },
    readonly decidedBy: Denial["decidedBy"] = null,
  ) {
    super(ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE, message, { ...details, reason });
  }
}

/**
 * The one UNAUTHORIZED_FIELD_OR_TYPE error: the guard throws it for a denied field and the bank
 * gate for a denied read, so every denial reads the same to the app.
 */
export function unauthorizedFieldOrType(coordinate: string, requirement: ScopeRequirement, institutionId: string, denial: Denial): ConsentDeniedError {
  const { reason, decidedBy } = denial;
  return new ConsentDeniedError(
    `${coordinate} needs consent for ${describe(requirement)} at ${institutionId} (${reason})`,
    reason,
    { requiredScopes: requirement.map((all) => [...all]), institutionId },
    decidedBy,
  );
}

/** What a guarded field's parent must carry: the link (and bank) it was read through. */
export interface LinkScoped {
  linkId: string;
  institutionId: string;
}

/** The parts of the request context the guard needs. */
export interface ConsentGuardContext {
  consents: ConsentView;
}

/** What a guard wraps: the field's own resolver (undefined: a plain field, read as a property) and the requirements of its type and of the field itself. */
export interface GuardedField {
  resolve: GraphQLFieldResolver<unknown, ConsentGuardContext> | undefined;
  onType: ScopeRequirement | undefined;
  onField: ScopeRequirement | undefined;
}

/** Every guard this module made, and what it wraps (read by requires-scopes-at-entry.ts). */
const guardedFields = new WeakMap<GraphQLFieldResolver<unknown, ConsentGuardContext>, GuardedField>();

/** What `resolve` guards, when it is a guard this module made. */
export function guardedFieldOf(resolve: GraphQLFieldResolver<unknown, never> | undefined): GuardedField | undefined {
  return resolve && guardedFields.get(resolve as GraphQLFieldResolver<unknown, ConsentGuardContext>);
}

/** The schema transform: wraps the resolver of every field that has (or whose type has) `@requiresScopes`. */
export function applyRequiresScopes(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName, currentSchema) => {
      const type = currentSchema.getType(typeName);
      const onType = type ? (getDirective(currentSchema, type, REQUIRES_SCOPES)?.[0]?.["scopes"] as ScopeRequirement | undefined) : undefined;
      const onField = getDirective(currentSchema, fieldConfig, REQUIRES_SCOPES)?.[0]?.["scopes"] as ScopeRequirement | undefined;
      const requirements = [onType, onField].filter((r): r is ScopeRequirement => r !== undefined);
      if (requirements.length === 0) return fieldConfig;
      const resolve = guard(fieldConfig.resolve ?? defaultFieldResolver, requirements, `${typeName}.${fieldName}`);
      guardedFields.set(resolve, { resolve: fieldConfig.resolve, onType, onField });
      return { ...fieldConfig, resolve };
    },
  });
}

function guard(
  resolve: GraphQLFieldResolver<unknown, ConsentGuardContext>,
  requirements: ScopeRequirement[],
  coordinate: string,
): GraphQLFieldResolver<unknown, ConsentGuardContext> {
  // Only decides: what was read is recorded by the bank gate after the read succeeded.
  const enforce = (source: LinkScoped, decisions: Decision[]) => {
    decisions.forEach((decision, index) => {
      if (!decision.granted) throw unauthorizedFieldOrType(coordinate, requirements[index]!, source.institutionId, decision);
    });
  };

  /**
   * The request view and link this field was last granted for: a view's decisions never change,
   * and a page's rows come one after another, so the next row of the same link in the same
   * request skips even the view's lookups. Another request has another view.
   */
  let grantedView: ConsentView | undefined;
  let grantedLink: string | undefined;

  return (source, args, context, info) => {
    const scoped = source as LinkScoped;
    if (typeof scoped?.linkId !== "string") {
      throw new Error(`${coordinate} is guarded but its parent carries no linkId`);
    }
    if (context.consents === grantedView && scoped.linkId === grantedLink) return resolve(source, args, context, info);
    // Runs for every guarded field of every object (a dashboard: ~700), so the usual case — the
    // consents already loaded — allocates nothing: each requirement's memoized decision in turn.
    let loaded = true;
    for (let index = 0; index < requirements.length; index++) {
      const decision = context.consents.decideNow(scoped.linkId, requirements[index]!);
      if (decision === undefined) {
        loaded = false;
        break;
      }
      if (!decision.granted) throw unauthorizedFieldOrType(coordinate, requirements[index]!, scoped.institutionId, decision);
    }
    if (loaded) {
      grantedView = context.consents;
      grantedLink = scoped.linkId;
      return resolve(source, args, context, info);
    }
    return Promise.all(requirements.map((r) => context.consents.decide(scoped.linkId, r))).then((decisions) => {
      enforce(scoped, decisions);
      return resolve(source, args, context, info);
    });
  };
}

function describe(requirement: ScopeRequirement): string {
  return requirement.map((all) => all.join(" and ")).join(" or ");
}
