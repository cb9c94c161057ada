import { Field, ObjectType } from "type-graphql";

// simpleResolvers: plain data, read by graphql-js's default resolver without type-graphql's wrapper per field (most of the ~1,100 fields a dashboard resolves).
@ObjectType({ simpleResolvers: true, description: "Relay cursor pagination state." })
export class PageInfo {
  @Field(() => Boolean, { description: "Whether more items follow the last one returned." })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: "Always false: pages are read forward only." })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "Cursor of the first item returned." })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: "Pass as `after` to read the next page." })
  endCursor!: string | null;
}
