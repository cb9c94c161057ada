/**
 * The Bankgraph client SDK: typed documents for every operation in `examples/*.graphql`
 * (regenerate with `npm run sdk`), a typed fetch client and typed errors.
 */
export * from "./generated/graphql.js";
export * from "./client.js";
export * from "./errors.js";
