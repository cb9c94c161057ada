import { Field, ID, InputType } from "type-graphql";

@InputType({ description: "A bank login. The password goes to the bank only; the gateway never stores or logs it." })
export class LinkInstitutionInput {
  @Field(() => ID, { description: 'Institution ID, e.g. "chase".' })
  institutionId!: string;

  @Field(() => String, { description: "Username at the bank." })
  username!: string;

  @Field(() => String, { description: "Password at the bank." })
  password!: string;
}
