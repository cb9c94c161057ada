/**
 * Query execution: graphql-js for a document's first run, then graphql-jit's compiled form of it.
 *
 * graphql-js walks the document for every field of every answer. For each field it builds two
 * dictionaries of arguments, even for a field that takes none, and each result object is a
 * dictionary-mode object that JSON.stringify serializes slowly. A warm dashboard resolves about
 * 1,000 fields. graphql-jit compiles the operation once into a function with the same semantics
 * (it runs the same resolvers, type resolvers and scalars of the same schema) and answers the same
 * dashboard in a third of the CPU (2026-12-04 micro-benchmark: 0.74 → 0.25 ms to execute and
 * serialize).
 *
 * Where graphql-js stays:
 * - **A document's first run.** Compiling costs milliseconds, so a document is compiled on its
 *   second run. A client that sends a new document every time never makes the gateway compile
 *   anything.
 * - **Mutations and subscriptions.** Mutations run rarely and must run their root fields one after
 *   another. A subscription is never executed over HTTP.
 * - **Introspection** (`__schema`, `__type` at the root), where graphql-js's own meta-fields answer.
 * - **Variables are coerced by graphql-js first.** A refused variable gets graphql-js's error, word
 *   for word, and nothing runs.
 *
 * graphql-jit compiles against a schema derived from the executable one, where consent for the plain
 * fields of a guarded type is decided once per object, where the object enters the answer
 * (src/consent/requires-scopes-at-entry.ts): graphql-jit reads a field without a resolver inline,
 * and pays an info object, a path and three closures for each call of one that has a resolver. An
 * object refused there makes the run be answered again by graphql-js over the executable schema,
 * whose per-field guards put each refusal at its field's path.
 *
 * graphql-jit's errors are its own subclass. They are rebuilt here as graphql-js `GraphQLError`s with
 * the same message, path, locations, original error and extensions, so Apollo and the error
 * formatter (src/server/format-error.ts) see what graphql-js would have given them.
 */
import {
  execute,
  getVariableValues,
  GraphQLError,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import { applyRequiresScopesAtEntry } from "../../consent/requires-scopes-at-entry.js";

/** What a run of an operation needs: the shape of Apollo's gateway executor's request context. */
export interface OperationRun {
  document: DocumentNode;
  /** Undefined when the document has no operation by that name (graphql-js answers why). */
  operation: OperationDefinitionNode | undefined;
  operationName: string | null;
  variables: Record<string, unknown> | undefined;
  contextValue: unknown;
}

/** One operation of one document: how often it ran, and its compiled form (false: graphql-jit could not compile it). */
interface Entry {
  runs: number;
  compiled?: CompiledQuery | false;
}

/** Root fields that graphql-js's introspection answers. */
const INTROSPECTION_ROOTS = new Set(["__schema", "__type"]);

/** Executes operations over `schema`, compiling each query on its second run. */
export class CompiledQueries {
  /** By document (Apollo keeps one parsed document per query text), then by operation name. */
  private readonly entries = new WeakMap<DocumentNode, Map<string, Entry>>();
  /** What graphql-jit compiles against: consent decided where guarded objects enter (src/consent/requires-scopes-at-entry.ts). */
  private readonly compiledSchema: GraphQLSchema;
  /** Request contexts whose compiled run met an object it could not decide at entry: graphql-js answers them. */
  private readonly referred = new WeakSet<object>();

  constructor(private readonly schema: GraphQLSchema) {
    this.compiledSchema = applyRequiresScopesAtEntry(schema, (context) => this.referred.add(context));
  }

  /** The operation's result, as graphql-js's `execute` would give it. */
  async run(run: OperationRun): Promise<ExecutionResult> {
    const { operation } = run;
    const compiled = operation && this.compiledFor(run, operation);
    if (!compiled) return this.interpreted(run);
    const variables = run.variables ?? {};
    if (operation.variableDefinitions?.length) {
      const coerced = getVariableValues(this.schema, operation.variableDefinitions, variables);
      if (coerced.errors) return { errors: coerced.errors };
    }
    const result = await compiled.query(undefined, run.contextValue, variables);
    // A refusal belongs at each field's path, which only the reference schema's per-field guards give.
    if (this.referred.delete(run.contextValue as object)) return this.interpreted(run);
    return result.errors?.length ? { ...result, errors: result.errors.map((error) => asGraphqlError(error, run.document)) } : result;
  }

  private interpreted(run: OperationRun): Promise<ExecutionResult> {
    return Promise.resolve(
      execute({ schema: this.schema, document: run.document, contextValue: run.contextValue, variableValues: run.variables, operationName: run.operationName }),
    );
  }

  /** The compiled query for this run, or null while (or if forever) it runs interpreted. */
  private compiledFor(run: OperationRun, operation: OperationDefinitionNode): CompiledQuery | null {
    if (operation.operation !== OperationTypeNode.QUERY || asksIntrospection(operation)) return null;
    let byName = this.entries.get(run.document);
    if (!byName) this.entries.set(run.document, (byName = new Map<string, Entry>()));
    const name = run.operationName ?? "";
    let entry = byName.get(name);
    if (!entry) byName.set(name, (entry = { runs: 0 }));
    entry.runs++;
    if (entry.compiled === undefined && entry.runs >= 2) entry.compiled = this.compile(run);
    return entry.compiled || null;
  }

  private compile(run: OperationRun): CompiledQuery | false {
    try {
      const compiled = compileQuery(this.compiledSchema, run.document, run.operationName ?? undefined);
      return isCompiledQuery(compiled) ? compiled : false;
    } catch {
      return false;
    }
  }
}

function asksIntrospection(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.some((s) => s.kind === Kind.FIELD && INTROSPECTION_ROOTS.has(s.name.value));
}

/** What graphql-jit's error objects carry. */
interface JitError {
  message: string;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  path?: ReadonlyArray<string | number>;
  originalError?: Error | null;
  extensions?: Record<string, unknown>;
}

/** graphql-jit's error as the `GraphQLError` graphql-js would have raised at the same place. */
function asGraphqlError(error: unknown, document: DocumentNode): GraphQLError {
  // graphql-jit's errors inherit from GraphQLError but leave out what graphql-js always sets (an
  // `extensions` object, on which Apollo reads `code`): only graphql-js's own are kept as they are.
  if (Object.getPrototypeOf(error) === GraphQLError.prototype) return error as GraphQLError;
  const { message, locations, path, originalError, extensions } = error as JitError;
  const source = document.loc?.source;
  const positions = source && locations ? locations.map(({ line, column }) => offsetOf(source.body, line, column)) : undefined;
  return new GraphQLError(message, { source, positions, path, originalError, extensions });
}

/** The offset in `body` of 1-based `line` and `column` (the inverse of graphql-js's `getLocation`). */
function offsetOf(body: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = body.slice(offset).search(/\r\n|[\n\r]/);
    if (next === -1) break;
    offset += next + (body.startsWith("\r\n", offset + next) ? 2 : 1);
  }
  return offset + column - 1;
}
