/**
 * The example operations as GraphiQL tabs: the dashboard first, each with the token its example
 * asks for (the demo app's, or alice's own user-present one) and its required variables to fill in.
 */
import type { ExampleOperation } from "./example-operations.js";
import type { PlaygroundTab } from "./playground-page.js";

/** Bearer tokens for the tabs; absent outside dev mode with demo data. */
export interface DemoTokens {
  /** The demo app (messenger-demo) acting for alice. */
  app: string;
  /** Alice herself, user-present (consent:manage). */
  user: string;
}

/** The operation opened first: what a platform shows on its home screen. */
export const FIRST_TAB = "Dashboard";

const TOKEN_HINT: Record<"app" | "user", string> = {
  app: "<npx bankgraph token --user alice --client messenger-demo>",
  user: "<npx bankgraph token --user alice --client messenger-demo --scope consent:manage>",
};

/** The Authorization header JSON for a tab. */
export function headersFor(token: "app" | "user", tokens: DemoTokens | undefined): string {
  return JSON.stringify({ Authorization: `Bearer ${tokens ? tokens[token] : TOKEN_HINT[token]}` }, null, 2);
}

/** Tabs for every example (subscriptions run over graphql-ws), the dashboard first. */
export function tabsForExamples(examples: readonly ExampleOperation[], tokens: DemoTokens | undefined): PlaygroundTab[] {
  const ordered = [...examples.filter((e) => e.name === FIRST_TAB), ...examples.filter((e) => e.name !== FIRST_TAB)];
  return ordered.map((example) => ({
    query: example.source,
    variables: example.requiredVariables.length
      ? JSON.stringify(Object.fromEntries(example.requiredVariables.map((v) => [v.name, `<${v.type}>`])), null, 2)
      : "",
    headers: headersFor(example.token, tokens),
  }));
}
