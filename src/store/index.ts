/** The store's public surface: databases, migrations, token encryption and one repository per table. */
export * from "./database.js";
export * from "./pglite.js";
export * from "./postgres.js";
export * from "./open-database.js";
export * from "./migrate.js";
export * from "./token-cipher.js";
export * from "./pagination.js";
export * from "./client-repository.js";
export * from "./link-repository.js";
export * from "./consent-repository.js";
export * from "./consent-event-repository.js";
export * from "./access-log-repository.js";
export * from "./webhook-event-repository.js";
