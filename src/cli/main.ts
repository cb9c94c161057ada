/**
 * `bankgraph <command>`: serve (default), mocks, token, client, migrate, schema, verify-receipt, verify-access-log. Arguments are parsed
 * with node's util.parseArgs; each command lives in its own file.
 */
import { parseArgs } from "node:util";
import { clientCommand } from "./client.command.js";
import { migrateCommand } from "./migrate.command.js";
import { mocksCommand } from "./mocks.command.js";
import { schemaCommand } from "./schema.command.js";
import { serveCommand } from "./serve.command.js";
import { tokenCommand } from "./token.command.js";
import { verifyReceiptCommand } from "./verify-receipt.command.js";
import { verifyAccessLogCommand } from "./verify-access-log.command.js";

const USAGE = `Usage: bankgraph [command] [options]

Commands:
  serve                 Start the gateway (default). Without BANK_URLS the six mock banks run in-process.
  mocks                 Start only the six mock bank APIs (ports 4101-4106, admin on 4100).
  token                 Print a dev bearer token: --user <id> --client <id> [--scope <scope> ...] [--expires-in <seconds>]
                        (--scope consent:manage = user-present: may link banks, decide on consents, read the access log)
  client                Register apps: add --id <id> --name <name> --legal-name <company> --purpose <P>… --scope <s>…
                        --redirect-uri <uri>… [--webhook-url <url> --webhook-key-file <path>]; list; remove <id> (docs/apps.md)
  migrate               Apply database migrations (DATABASE_URL or DATA_DIR) and exit.
  schema                --write: write schema.graphql; --check: compare with the code, list breaking changes; [--file <path>] instead of schema.graphql.
                        --write refuses a breaking change unless --accept-breaking "<why>" (recorded in docs/schema-changelog.md).
  verify-receipt        Check a consent receipt: <receipt.jws> [--jwks <jwks.json file or URL>] (default: this gateway's
                        /.well-known/jwks.json). Prints it in plain words; exit 1 with the reason if it does not verify.
  verify-access-log     --user <id> [--export <file>]: check a person's hash-chained access log in the store (DATABASE_URL or DATA_DIR);
                        --file <export.json> [--jwks <file|url>]: check an exported one (docs/access-log.md). Exit 1 names the first broken record.
`;

const COMMANDS: Record<string, (args: string[]) => Promise<number | void>> = {
  serve: serveCommand,
  mocks: mocksCommand,
  token: tokenCommand,
  client: clientCommand,
  migrate: migrateCommand,
  schema: schemaCommand,
  "verify-receipt": verifyReceiptCommand,
  "verify-access-log": verifyAccessLogCommand,
};

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv.slice(0, 1), allowPositionals: true, strict: false });
  const name = positionals[0] ?? "serve";
  if (name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(USAGE);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`Unknown command: ${name}\n\n${USAGE}`);
    return 2;
  }
  return (await command(positionals[0] ? argv.slice(1) : argv)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bankgraph: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
