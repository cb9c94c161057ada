import { Field, ObjectType } from "type-graphql";

@ObjectType({ description: "A postal address." })
export class PostalAddress {
  @Field(() => String, { description: "Street and number." })
  line1!: string;

  @Field(() => String, { nullable: true, description: "Apartment, suite, etc." })
  line2!: string | null;

  @Field(() => String, { description: "City." })
  city!: string;

  @Field(() => String, { description: "State or region code." })
  region!: string;

  @Field(() => String, { description: "Postal code." })
  postalCode!: string;

  @Field(() => String, { description: "ISO 3166-1 alpha-2 country code." })
  country!: string;
}

@ObjectType({ description: "The account holder as the bank knows them. Needs identity:read." })
export class AccountOwner {
  @Field(() => String, { description: "Full name." })
  name!: string;

  @Field(() => String, { nullable: true, description: "Email address." })
  email!: string | null;

  @Field(() => String, { nullable: true, description: "Phone number." })
  phone!: string | null;

  @Field(() => PostalAddress, { nullable: true, description: "Postal address." })
  address!: PostalAddress | null;
}
