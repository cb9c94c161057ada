import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { InstitutionStatus } from "../../providers/institution-health.js";

registerEnumType(InstitutionStatus, {
  name: "InstitutionStatus",
  description: "How the bank has been answering recently.",
  valuesConfig: {
    UP: { description: "Answering normally." },
    DEGRADED: { description: "Some recent calls failed, or the gateway is probing whether the bank is back." },
    DOWN: {
      description: "The bank failed repeatedly and the gateway's circuit breaker is open: reads fail fast with INSTITUTION_DOWN until a probe call succeeds.",
    },
  },
});

// simpleResolvers: plain data, read by graphql-js's default resolver without type-graphql's wrapper per field (most of the ~1,100 fields a dashboard resolves).
@ObjectType({ simpleResolvers: true, description: "A bank or payment provider the gateway connects to." })
export class Institution {
  @Field(() => ID, { description: 'Stable institution ID, e.g. "chase".' })
  id!: string;

  @Field(() => String, { description: 'Display name, e.g. "JPMorgan Chase".' })
  name!: string;

  @Field(() => InstitutionStatus, { description: "Recent health of the bank's API." })
  status!: InstitutionStatus;
}
