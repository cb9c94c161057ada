import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectSessionStatus } from "../../domain/connect-session.js";
import { ConsentPurpose } from "../../domain/consent.js";
import { PaymentLimitsInput } from "./payment.input.js";

registerEnumType(ConnectSessionStatus, {
  name: "ConnectSessionStatus",
  description: "Where a connect session stands. EXPIRED is derived from the clock on every read.",
});

@InputType({ description: "What an app asks a person for. Everything is validated here, before the person sees anything." })
export class CreateConnectSessionInput {
  @Field(() => String, {
    description: "A ConsentPurpose registered for the app. ADVERTISING, MARKETING and DATA_RESALE are refused with PURPOSE_FORBIDDEN.",
  })
  purpose!: string;

  @Field(() => [String], { description: "Scopes registered for the app and no more than the purpose may carry (see docs/apps.md)." })
  scopes!: string[];

  @Field(() => [String], { nullable: true, description: "Banks the person may pick from; omit for every bank." })
  institutionIds?: string[] | null;

  @Field(() => Int, { description: "How long each consent lasts once authorized, 1 to 365 days." })
  durationDays!: number;

  @Field(() => Int, { nullable: true, description: "Days of transaction history wanted (1 to 3650); omit for all the bank offers." })
  historyDays?: number | null;

  @Field(() => String, { description: "Where the person is sent back: exactly one of the app's registered redirect URIs." })
  redirectUri!: string;

  @Field(() => String, { description: "The app's own value (1 to 512 printable ASCII characters), handed back on the redirect." })
  state!: string;

  @Field(() => PaymentLimitsInput, {
    nullable: true,
    description:
      "Required with payments:write (purpose PAYMENTS_SUPPORT), refused without it: the limits proposed to the person, who may lower them on the disclosure page.",
  })
  paymentLimits?: PaymentLimitsInput | null;
}

@ObjectType({ description: "A connect session just created: send the person to `url` (any device, any browser) before `expiresAt`." })
export class ConnectSessionStart {
  @Field(() => ID, { description: "The session's ID, for `connectSession(id)`." })
  id!: string;

  @Field(() => String, { description: "Bankgraph's page where the person signs in, reads what is asked and picks banks." })
  url!: string;

  @Field(() => GraphQLISODateTime, { description: "When the URL stops working (minutes from now)." })
  expiresAt!: Date;
}

@ObjectType({ description: "One bank the person picked in a connect session, and how it ended." })
export class ConnectSessionBank {
  @Field(() => String)
  institutionId!: string;

  @Field(() => String, { description: "WAITING, AT_BANK, LINKED or DENIED (the person declined at the bank)." })
  status!: string;

  @Field(() => ID, { nullable: true, description: "The consent created for this bank once LINKED." })
  consentId!: string | null;
}

@ObjectType({ description: "A connect session as the app that created it sees it." })
export class ConnectSession {
  @Field(() => ID)
  id!: string;

  @Field(() => ConnectSessionStatus)
  status!: ConnectSessionStatus;

  @Field(() => ConsentPurpose)
  purpose!: ConsentPurpose;

  @Field(() => [String])
  scopes!: string[];

  @Field(() => [ConnectSessionBank], { description: "The banks the person picked, in order (empty until they pick)." })
  banks!: ConnectSessionBank[];

  @Field(() => [String], { description: "Institutions linked in this session." })
  linkedInstitutionIds!: string[];

  @Field(() => [ID], { description: "Consents created in this session (global IDs): read data with them at once." })
  consentIds!: string[];

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime)
  expiresAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "When the person finished or cancelled." })
  finishedAt!: Date | null;
}
