/**
 * Resolver methods called directly, where type-graphql's handler could only pass values through.
 *
 * type-graphql runs every resolver method through one generic handler: per call it sorts the
 * method's parameter list, maps it, and hands each argument to an async validator, so a field with
 * N arguments costs N + 2 promises and a `Promise.all` before the method starts. A cold dashboard
 * resolves `Account.balance`, `Account.transactions` and `Account.institution` for every account:
 * ~280 of its ~1,800 promises (2026-12-05). Where that handler can do nothing but pass values
 * through, the field's resolver here calls the method with the same values, in the same order:
 *
 * - the schema is built without validation, global middlewares or an auth checker (checked on the
 *   options given to type-graphql's `buildSchema`), and the method has no middlewares or roles;
 * - each parameter is the root, the context (or one of its properties), the info, or one argument
 *   of a scalar type declared as that scalar or as String, Number, Boolean or Date (type-graphql
 *   passes those through unconverted; a class mapped to a scalar would be copied into an instance);
 * - the root is already an instance of its declared class (type-graphql would copy anything else
 *   into one): a root that is not is handed to type-graphql's own resolver.
 *
 * Anything else (an `@Args` class, an input object, a custom parameter, a method with middlewares)
 * keeps type-graphql's resolver. Mutations and subscriptions keep it too. The methods run on an
 * instance of their class made here, as type-graphql's default container makes its own: the
 * resolver classes hold no state.
 */
import { getNullableType, isObjectType, isScalarType, type GraphQLField, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import { getMetadataStorage, type BuildSchemaOptions } from "type-graphql";

type Parameter = ReturnType<typeof getMetadataStorage>["fieldResolvers"][number]["params"] extends (infer P)[] | undefined ? P : never;
/** A class as type-graphql's metadata holds it. */
type ClassValue = abstract new (...args: never[]) => unknown;
type Instance = Record<string, (...values: unknown[]) => unknown>;
type Extract = (root: unknown, args: Record<string, unknown>, context: Record<string, unknown>, info: unknown) => unknown;

/** Argument targets whose values type-graphql's `convertToType` hands on as they are (its "simple types"). */
const UNCONVERTED_TARGETS: readonly unknown[] = [String, Number, Boolean, Date];

/** A method type-graphql would call with exactly the values these extractors give; undefined where it might do more. */
function extractorsFor(params: readonly Parameter[], field: GraphQLField<unknown, unknown>): Extract[] | undefined {
  const extractors: Extract[] = [];
  for (const param of [...params].sort((a, b) => a.index - b.index)) {
    if (param.index !== extractors.length) return undefined;
    switch (param.kind) {
      case "root":
        if (param.propertyName !== undefined) return undefined;
        extractors.push((root) => root);
        break;
      case "context": {
        const property = param.propertyName;
        extractors.push(property === undefined ? (_root, _args, context) => context : (_root, _args, context) => context[property]);
        break;
      }
      case "info":
        extractors.push((_root, _args, _context, info) => info);
        break;
      case "arg": {
        const arg = field.args.find((a) => a.name === param.name);
        if (!arg || !isScalarType(getNullableType(arg.type)) || param.validateSettings !== undefined || param.validateFn !== undefined) return undefined;
        const target = param.getType();
        if (!isScalarType(target) && !UNCONVERTED_TARGETS.includes(target)) return undefined;
        const name = param.name;
        extractors.push((_root, args) => args[name]);
        break;
      }
      case "args":
      case "custom":
      case "pubSub":
        return undefined;
    }
  }
  return extractors;
}

/** The class type-graphql would convert the root into, if the method takes the root with a declared class. */
function rootClassOf(params: readonly Parameter[]): ClassValue | undefined {
  const root = params.find((p) => p.kind === "root");
  const type: unknown = root?.kind === "root" ? root.getType?.() : undefined;
  return typeof type === "function" ? (type as ClassValue) : undefined;
}

/** Whether the build options leave type-graphql's handler nothing to do but pass values through. */
function passesThrough(options: Pick<BuildSchemaOptions, "validate" | "validateFn" | "globalMiddlewares" | "authChecker" | "container">): boolean {
  return options.validate === false && !options.validateFn && !options.globalMiddlewares?.length && !options.authChecker && !options.container;
}

/**
 * Replaces, in `schema` (as type-graphql built it from `options`), the resolvers of query and
 * object fields whose methods can be called directly. Returns how many it replaced.
 */
export function callResolverMethodsDirectly(schema: GraphQLSchema, options: BuildSchemaOptions): number {
  if (!passesThrough(options)) return 0;
  const storage = getMetadataStorage();
  const resolverClasses = new Set<unknown>(options.resolvers);
  const instances = new Map<unknown, Instance>();
  const instanceOf = (target: unknown) => {
    let instance = instances.get(target);
    if (!instance) instances.set(target, (instance = new (target as new () => Instance)()));
    return instance;
  };
  const typeNameOf = (objectClass: unknown) => storage.objectTypes.find((o) => o.target === objectClass)?.name;
  const methods = [
    ...storage.queries.map((query) => ({ metadata: query, typeName: schema.getQueryType()?.name })),
    ...storage.fieldResolvers.filter((f) => f.kind === "external").map((f) => ({ metadata: f, typeName: typeNameOf(f.getObjectType?.()) })),
  ];
  let replaced = 0;
  for (const { metadata, typeName } of methods) {
    if (!resolverClasses.has(metadata.target) || typeName === undefined) continue;
    if (metadata.middlewares?.length || metadata.roles !== undefined) continue;
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? (type.getFields()[metadata.schemaName] as GraphQLField<unknown, unknown> | undefined) : undefined;
    if (!field?.resolve) continue;
    const extractors = extractorsFor(metadata.params ?? [], field);
    if (!extractors) continue;
    const instance = instanceOf(metadata.target);
    const method = instance[metadata.methodName];
    if (typeof method !== "function") continue;
    const rootClass = rootClassOf(metadata.params ?? []);
    const viaTypeGraphql = field.resolve as GraphQLFieldResolver<unknown, Record<string, unknown>, Record<string, unknown>>;
    const direct: GraphQLFieldResolver<unknown, Record<string, unknown>, Record<string, unknown>> = (root, args, context, info) => {
      if (rootClass && root != null && !(root instanceof rootClass)) return viaTypeGraphql(root, args, context, info);
      const values = new Array<unknown>(extractors.length);
      for (let i = 0; i < extractors.length; i++) values[i] = extractors[i]!(root, args, context, info);
      return method.apply(instance, values);
    };
    field.resolve = direct as GraphQLFieldResolver<unknown, unknown>;
    replaced++;
  }
  return replaced;
}
