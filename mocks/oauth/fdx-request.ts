/**
 * FDX-style Rich Authorization Request (`authorization_details` of type fdx_v1.0), as Chase's
 * mock accepts it through PAR:
 * `{ type: "fdx_v1.0", consentRequest: { durationType, durationPeriod, lookbackPeriod,
 *   resources: [{ resourceType: "ACCOUNT", dataClusters: [...] }] } }`.
 */
import { z } from "zod";
import { errors } from "oidc-provider";
import type { ResourceTable } from "./bank-authorization.js";

const DAY = 86_400_000;
const MAX_DAYS = 365;

const FdxDetail = z.object({
  type: z.literal("fdx_v1.0"),
  consentRequest: z.object({
    durationType: z.enum(["ONE_TIME", "TIME_BOUND", "PERSISTENT"]),
    durationPeriod: z.number().int().min(1).max(MAX_DAYS).optional(),
    lookbackPeriod: z.number().int().min(1).max(3650).optional(),
    resources: z.array(z.object({ resourceType: z.literal("ACCOUNT"), dataClusters: z.array(z.string()).min(1) })).min(1),
  }),
});

export interface FdxRequest {
  clusters: string[];
  /** When the consent ends: durationPeriod days from now (TIME_BOUND), at most 365 days otherwise. */
  expiresAt: Date;
  historyFrom?: Date;
}

/** oidc-provider's RAR `validate` hook: refuses a detail that is not a well-formed fdx_v1.0 request of known clusters. */
export function validateFdxDetail(detail: unknown, clusters: ResourceTable): void {
  const parsed = FdxDetail.safeParse(detail);
  if (!parsed.success) throw new errors.InvalidAuthorizationDetails(`fdx_v1.0 consentRequest is malformed: ${parsed.error.issues[0]?.message ?? ""}`);
  const { consentRequest } = parsed.data;
  if (consentRequest.durationType === "TIME_BOUND" && consentRequest.durationPeriod === undefined) {
    throw new errors.InvalidAuthorizationDetails("a TIME_BOUND consentRequest needs durationPeriod (days)");
  }
  const unknown = consentRequest.resources.flatMap((r) => r.dataClusters).filter((c) => !(c in clusters));
  if (unknown.length > 0) throw new errors.InvalidAuthorizationDetails(`unknown dataClusters: ${unknown.join(", ")}`);
}

/** The request the person is asked to allow (details already validated at PAR / authorization time). */
export function readFdxRequest(details: readonly unknown[], now = Date.now()): FdxRequest {
  const requests = details.map((d) => FdxDetail.parse(d).consentRequest);
  const days = Math.min(
    ...requests.map((r) => (r.durationType === "TIME_BOUND" ? (r.durationPeriod ?? MAX_DAYS) : r.durationType === "ONE_TIME" ? 1 : MAX_DAYS)),
  );
  const lookbacks = requests.map((r) => r.lookbackPeriod).filter((d): d is number => d !== undefined);
  return {
    clusters: [...new Set(requests.flatMap((r) => r.resources.flatMap((res) => res.dataClusters)))],
    expiresAt: new Date(now + days * DAY),
    ...(lookbacks.length ? { historyFrom: new Date(now - Math.min(...lookbacks) * DAY) } : {}),
  };
}
