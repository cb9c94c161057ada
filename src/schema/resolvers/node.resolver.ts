import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import type { GatewayContext } from "../../request/gateway-context.js";
import { decodeGlobalId } from "../global-id.js";
import { findNode } from "../lookup.js";
import { Node } from "../types/node.interface.js";

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description: "Any of the user's objects by global ID. Another user's object, a forged ID and a missing object all answer null.",
  })
  node(@Arg("id", () => ID) id: string, @Ctx() context: GatewayContext): Promise<Node | null> | null {
    const decoded = decodeGlobalId(id);
    return decoded ? findNode(context, decoded) : null;
  }
}
