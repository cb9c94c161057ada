/**
 * How the Chase adapter pages: its cursor (an encoded FDX offset plus the date range the offset
 * belongs to) and the plan that packs many page requests into as few
 * `GET /fdx/v6/transactions` calls as possible. FDX offsets are row indexes, which shift when
 * rows arrive or go, so pages report the index range they covered (`TransactionPage.rows`) and
 * accept an explicit `offset`: the gateway re-anchors on the rows themselves.
 */
import { z } from "zod";
import { badInput } from "../../errors.js";
import type { TransactionPageRequest } from "../contract.js";

/** What continuing a Chase listing takes: the bank's offset and the range it was counted in. */
export interface ChaseCursor {
  offset: string;
  startTime?: string;
  endTime?: string;
}

const cursorShape = z.object({ offset: z.string().regex(/^\d+$/), startTime: z.string().optional(), endTime: z.string().optional() });

/** The opaque string handed out as `nextCursor` (base64url JSON). */
export function encodeCursor(cursor: ChaseCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

/** Throws BAD_USER_INPUT for a cursor this adapter did not issue. */
export function decodeCursor(token: string): ChaseCursor {
  try {
    return cursorShape.parse(JSON.parse(Buffer.from(token, "base64url").toString()));
  } catch {
    throw badInput("Invalid transaction cursor");
  }
}

/** The offset a request starts at: its explicit row index, its cursor's, or 0. */
export function startOffset(request: TransactionPageRequest): number {
  if (request.offset !== undefined) return Math.max(0, Math.floor(request.offset));
  return request.cursor ? Number(decodeCursor(request.cursor).offset) : 0;
}

/** One upstream call: a date range and page size shared by several accounts, each at its own offset. */
export interface TransactionCall {
  startTime?: string;
  endTime?: string;
  limit: number;
  /** accountId → offset ("0" for a first page). */
  offsets: Map<string, string>;
}

/**
 * Groups requests that share range and page size into one call. An account can only sit once in
 * a call (the bank keys offsets by account), so a second page request for the same account in
 * the same batch gets a call of its own. A cursor carries its range, which wins over the
 * request's from/to: an offset only means something within the range it was counted in.
 */
export function planCalls(requests: readonly TransactionPageRequest[]): { calls: TransactionCall[]; callOf: number[] } {
  const calls: TransactionCall[] = [];
  const callOf = requests.map((request) => {
    // An explicit row index (the gateway re-anchoring) is an offset within the request's own range.
    const cursor =
      request.offset !== undefined
        ? { offset: String(Math.max(0, Math.floor(request.offset))), startTime: request.from, endTime: request.to }
        : request.cursor
          ? decodeCursor(request.cursor)
          : undefined;
    const startTime = cursor ? cursor.startTime : request.from;
    const endTime = cursor ? cursor.endTime : request.to;
    let index = calls.findIndex((c) => c.startTime === startTime && c.endTime === endTime && c.limit === request.limit && !c.offsets.has(request.accountId));
    if (index < 0) index = calls.push({ startTime, endTime, limit: request.limit, offsets: new Map() }) - 1;
    calls[index]!.offsets.set(request.accountId, cursor?.offset ?? "0");
    return index;
  });
  return { calls, callOf };
}

/** Query string of a call: `accountIds=a,b&offsets=b:20` (first pages need no offset). */
export function callQuery(call: TransactionCall): Record<string, string | number | undefined> {
  const continued = [...call.offsets].filter(([, offset]) => offset !== "0").map(([id, offset]) => `${id}:${offset}`);
  return {
    accountIds: [...call.offsets.keys()].join(","),
    startTime: call.startTime,
    endTime: call.endTime,
    limit: call.limit,
    offsets: continued.length > 0 ? continued.join(",") : undefined,
  };
}
