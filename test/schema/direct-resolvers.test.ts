import "reflect-metadata";
import { graphql, GraphQLScalarType, Kind, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Field,
  FieldResolver,
  getMetadataStorage,
  Info,
  Int,
  ObjectType,
  Query,
  Resolver,
  Root,
  type BuildSchemaOptions,
  UseMiddleware,
  buildSchema,
} from "type-graphql";
import { describe, expect, it } from "vitest";
import { callResolverMethodsDirectly } from "../../src/schema/direct-resolvers.js";
import { buildGatewaySchema } from "../../src/schema/build-schema.js";

@ObjectType()
class Shelf {
  @Field()
  name!: string;
}

@ArgsType()
class Window {
  @Field(() => Int)
  take!: number;
}

const seen: unknown[] = [];

@Resolver(() => Shelf)
class ShelfResolver {
  @Query(() => Shelf)
  shelf(@Ctx("shelfName") name: string): Shelf {
    return Object.assign(new Shelf(), { name });
  }

  @FieldResolver(() => String)
  label(@Root() shelf: Shelf, @Arg("prefix", () => String, { nullable: true }) prefix: string | null, @Info() info: { fieldName: string }): string {
    seen.push(shelf);
    return `${prefix ?? ""}${shelf.name}:${info.fieldName}`;
  }

  @FieldResolver(() => Int)
  windowed(@Args() window: Window): number {
    return window.take;
  }

  @FieldResolver(() => String)
  @UseMiddleware(async (_data, next) => `wrapped ${String(await next())}`)
  guarded(@Root() shelf: Shelf): string {
    return shelf.name;
  }
}

/** A class mapped to a scalar: type-graphql copies the scalar's parsed value into an instance of it. */
class Point {
  x!: number;
}
const PointScalar = new GraphQLScalarType({
  name: "Point",
  serialize: (value) => (value as Point).x,
  parseValue: (value) => ({ x: Number(value) }),
  parseLiteral: (ast) => (ast.kind === Kind.INT ? { x: Number(ast.value) } : null),
});

@Resolver()
class PointResolver {
  @Query(() => Boolean)
  isPoint(@Arg("p", () => Point) p: Point): boolean {
    return p instanceof Point;
  }
}

const options = { resolvers: [ShelfResolver] as [typeof ShelfResolver], validate: false } as const;
const fieldResolver = (schema: GraphQLSchema, name: string) => (schema.getType("Shelf") as GraphQLObjectType).getFields()[name]!.resolve!;

describe("resolver methods called directly", () => {
  it("replaces only the methods type-graphql would call with the values as they are, and answers the same", async () => {
    const reference = await buildSchema(options);
    const direct = await buildSchema(options);
    const [label, windowed, guarded] = ["label", "windowed", "guarded"].map((name) => fieldResolver(direct, name));

    // shelf (context property), label (root, scalar argument, info); not windowed (@Args) or guarded (middleware).
    expect(callResolverMethodsDirectly(direct, options)).toBe(2);
    expect(fieldResolver(direct, "label")).not.toBe(label);
    expect(fieldResolver(direct, "windowed")).toBe(windowed);
    expect(fieldResolver(direct, "guarded")).toBe(guarded);

    const query = `{ shelf { name label(prefix: "#") plain: label windowed(take: 3) guarded } }`;
    const answers = await Promise.all([reference, direct].map((schema) => graphql({ schema, source: query, contextValue: { shelfName: "oak" } })));
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[1]).toEqual({ data: { shelf: { name: "oak", label: "#oak:label", plain: "oak:label", windowed: 3, guarded: "wrapped oak" } } });
  });

  it("answers without the promise type-graphql's argument validation makes", async () => {
    const schema = await buildSchema(options);
    const root = Object.assign(new Shelf(), { name: "elm" });
    const info = { fieldName: "label" } as never;
    expect(fieldResolver(schema, "label")(root, { prefix: "!" }, {}, info)).toBeInstanceOf(Promise);
    callResolverMethodsDirectly(schema, options);
    expect(fieldResolver(schema, "label")(root, { prefix: "!" }, {}, info)).toBe("!elm:label");
  });

  it("hands a root that is not an instance of its declared class to type-graphql, which makes it one", async () => {
    const schema = await buildSchema(options);
    // As reflected parameter types (emitDecoratorMetadata) would declare it.
    const rootParam = getMetadataStorage()
      .fieldResolvers.find((f) => f.target === ShelfResolver && f.methodName === "label")!
      .params!.find((p) => p.kind === "root")!;
    const declared = rootParam.kind === "root" ? rootParam.getType : undefined;
    if (rootParam.kind === "root") rootParam.getType = () => Shelf;
    try {
      callResolverMethodsDirectly(schema, options);
      seen.length = 0;
      const answer = await fieldResolver(schema, "label")({ name: "ash" }, {}, {}, { fieldName: "label" } as never);
      expect(answer).toBe("ash:label");
      expect(seen[0]).toBeInstanceOf(Shelf);
    } finally {
      if (rootParam.kind === "root") rootParam.getType = declared;
    }
  });

  it("leaves a scalar argument declared as a mapped class to type-graphql, which makes it an instance", async () => {
    const mapped: BuildSchemaOptions = { resolvers: [PointResolver], scalarsMap: [{ type: Point, scalar: PointScalar }], validate: false };
    const schema = await buildSchema(mapped);
    expect(callResolverMethodsDirectly(schema, mapped)).toBe(0);
    expect(await graphql({ schema, source: "{ isPoint(p: 3) }" })).toEqual({ data: { isPoint: true } });
  });

  it("leaves every resolver to type-graphql when the schema validates arguments", async () => {
    const schema = await buildSchema({ ...options, validate: true });
    expect(callResolverMethodsDirectly(schema, { ...options, validate: true })).toBe(0);
  });

  it("calls the gateway's dashboard fields directly", async () => {
    const schema = await buildGatewaySchema({ enforceConsent: false });
    const account = schema.getType("Account") as GraphQLObjectType;
    // type-graphql's handler is an arrow named by its variable; a direct resolver is `direct`.
    for (const name of ["balance", "transactions", "institution"]) expect(account.getFields()[name]!.resolve!.name).toBe("direct");
  });
});
