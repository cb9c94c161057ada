/**
 * A page of the transaction walk as a Relay connection, around any node type: the gateway's
 * type-graphql nodes (mapping/to-graphql.ts) and the benchmarks' plain ones. No type-graphql here,
 * so a plain graphql-js schema can import it. Edge cursors and `startCursor` stay getters: a cursor
 * is signed only when the query selects it.
 */
import type * as domain from "../../domain/model.js";
import type { TransactionPageResult } from "./read-transaction-page.js";

/** The connection of `page`, each transaction made a node by `toNode`. */
export function connectionOfPage<N>(page: TransactionPageResult, toNode: (t: domain.Transaction) => N) {
  const edges = page.items.map((item) => ({
    node: toNode(item.transaction),
    get cursor() {
      return item.cursor;
    },
  }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: false,
      get startCursor() {
        return page.items[0]?.cursor ?? null;
      },
      endCursor: page.endCursor,
    },
  };
}
