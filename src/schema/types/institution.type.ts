import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { InstitutionStatus } from "../../providers/institution-health.js";

registerEnumType(InstitutionStatus, {
  name: "InstitutionStatus",
  description: "How the bank has been answering recently.",
  valuesConfig: {
    UP: { description: "Answering normally." },
    DEGRADED: { description: "Some recent calls failed." },
    DOWN: { description: "The last calls all failed; expect INSTITUTION_DOWN or INSTITUTION_TIMEOUT errors." },
  },
});

@ObjectType({ description: "A bank or payment provider the gateway connects to." })
export class Institution {
  @Field(() => ID, { description: 'Stable institution ID, e.g. "chase".' })
  id!: string;

  @Field(() => String, { description: 'Display name, e.g. "JPMorgan Chase".' })
  name!: string;

  @Field(() => InstitutionStatus, { description: "Recent health of the bank's API." })
  status!: InstitutionStatus;
}
