/**
 * Verifies a person's access log without trusting whoever kept it: given the records in chain
 * order, a signed head and the gateway's published key set, recompute every hash and link and
 * name the FIRST record where the log stops being what the gateway wrote. No I/O: the same
 * function serves the CLI (records read from the store), an exported file and the tests.
 *
 * What each check catches: a removed record leaves a gap in seq; an altered one no longer matches
 * its hash; an altered one whose hash was recomputed no longer matches the next record's prevHash;
 * records cut off the end, or a whole chain rewritten with fresh hashes, no longer reach or match
 * a head the gateway signed earlier.
 */
import type { JSONWebKeySet } from "jose";
import { accessRecordHash, GENESIS_HASH, type ChainedAccessRecord, type ChainTip } from "../domain/access-record.js";
import { verifyGatewayJws } from "../signing/gateway-signer.js";
import { ACCESS_LOG_HEAD_TYP, type AccessLogHeadPayload } from "./access-log-head.js";

/** Why a log fails verification. */
export enum ChainBreakReason {
  /** A record is missing: the sequence jumps over it. */
  SEQ_GAP = "SEQ_GAP",
  /** A sequence number repeats or goes back: records were duplicated or reordered. */
  SEQ_ORDER = "SEQ_ORDER",
  /** The record does not name the previous record's hash: the previous one was replaced. */
  PREV_MISMATCH = "PREV_MISMATCH",
  /** The record's fields no longer give its hash: it was altered. */
  HASH_MISMATCH = "HASH_MISMATCH",
  /** The log does not reach, or does not match, a head it must contain (a signed one, or the store's). */
  HEAD_MISMATCH = "HEAD_MISMATCH",
  /** A record or the head belongs to someone else. */
  OTHER_USER = "OTHER_USER",
  /** The signed head's signature, key or type does not check out against the key set. */
  BAD_SIGNATURE = "BAD_SIGNATURE",
}

/** The first place the log breaks. */
export interface ChainBreak {
  reason: ChainBreakReason;
  /** The first place (seq) where the log is not what was written: a missing, altered or misplaced record; null when the signed head itself is bad. */
  seq: number | null;
  /** In plain words, for a person or an auditor. */
  message: string;
}

/** A head the verified log must contain, e.g. one the gateway signed. */
export interface ExpectedHead extends ChainTip {
  /** How messages name it ("the signed head of 2026-12-03T21:00:00.000Z"). */
  label: string;
}

export type ChainVerdict = { ok: true; records: number; tip: ChainTip } | { ok: false; broken: ChainBreak };

/**
 * Checks `records` (the person's whole chain, oldest first, starting at seq 1) link by link, then
 * that every head in `heads` is on it. Pure and synchronous.
 */
export function verifyAccessChain(userId: string, records: readonly ChainedAccessRecord[], heads: readonly ExpectedHead[] = []): ChainVerdict {
  let tip: ChainTip = { seq: 0, hash: GENESIS_HASH };
  const hashes: string[] = [];
  for (const record of records) {
    const expected = tip.seq + 1;
    const broken = (reason: ChainBreakReason, seq: number, message: string): ChainVerdict => ({ ok: false, broken: { reason, seq, message } });
    if (record.userId !== userId) return broken(ChainBreakReason.OTHER_USER, record.seq, `record ${record.seq} belongs to another person`);
    if (record.seq > expected) {
      const missing = record.seq - 1 === expected ? `record ${expected} is missing` : `records ${expected}–${record.seq - 1} are missing`;
      return broken(ChainBreakReason.SEQ_GAP, expected, `${missing} (the log goes from ${tip.seq} to ${record.seq})`);
    }
    if (record.seq !== expected) return broken(ChainBreakReason.SEQ_ORDER, expected, `record ${record.seq} appears where record ${expected} belongs`);
    if (record.prevHash !== tip.hash) {
      return broken(ChainBreakReason.PREV_MISMATCH, record.seq, `record ${record.seq} does not follow record ${tip.seq}: one of them was replaced`);
    }
    if (accessRecordHash(record, record.seq, record.prevHash) !== record.hash) {
      return broken(ChainBreakReason.HASH_MISMATCH, record.seq, `record ${record.seq} was altered: its contents do not match its hash`);
    }
    tip = { seq: record.seq, hash: record.hash };
    hashes.push(record.hash);
  }
  for (const head of [...heads].sort((a, b) => a.seq - b.seq)) {
    if (head.seq <= 0) continue;
    if (head.seq > tip.seq) {
      const message = `the log ends at record ${tip.seq}, but ${head.label} says it reached record ${head.seq}: records ${tip.seq + 1}–${head.seq} are missing`;
      return { ok: false, broken: { reason: ChainBreakReason.HEAD_MISMATCH, seq: tip.seq + 1, message } };
    }
    if (hashes[head.seq - 1] !== head.hash) {
      const message = `record ${head.seq} is not the one ${head.label} names: the log up to it was rewritten`;
      return { ok: false, broken: { reason: ChainBreakReason.HEAD_MISMATCH, seq: head.seq, message } };
    }
  }
  return { ok: true, records: records.length, tip };
}

/** What {@link verifyAccessLog} needs. */
export interface AccessLogToVerify {
  userId: string;
  /** The whole chain, oldest first. */
  records: readonly ChainedAccessRecord[];
  /** The newest signed head (compact JWS), or null if none was signed yet (then a cut-off tail cannot be seen). */
  signedHead: string | null;
  /** The gateway's published keys (/.well-known/jwks.json). */
  keys: JSONWebKeySet;
  /** Further heads the log must contain, e.g. the store's own head row (unsigned). */
  alsoHeads?: readonly ExpectedHead[];
}

export type AccessLogVerdict = ChainVerdict & { signedHead: AccessLogHeadPayload | null };

/** Verifies the signed head's signature against `keys`, then the chain up to and beyond it. */
export async function verifyAccessLog(input: AccessLogToVerify): Promise<AccessLogVerdict> {
  let signed: AccessLogHeadPayload | null = null;
  if (input.signedHead !== null) {
    try {
      signed = (await verifyGatewayJws<AccessLogHeadPayload>(input.signedHead, input.keys, ACCESS_LOG_HEAD_TYP)).payload;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return { ok: false, broken: { reason: ChainBreakReason.BAD_SIGNATURE, seq: null, message: `the signed head does not verify: ${why}` }, signedHead: null };
    }
    if (signed.userId !== input.userId || !Number.isSafeInteger(signed.seq) || typeof signed.hash !== "string") {
      return { ok: false, broken: { reason: ChainBreakReason.OTHER_USER, seq: null, message: "the signed head is not this person's" }, signedHead: signed };
    }
  }
  const heads: ExpectedHead[] = [...(input.alsoHeads ?? [])];
  if (signed) heads.push({ seq: signed.seq, hash: signed.hash, label: `the head the gateway signed at ${signed.signedAt}` });
  return { ...verifyAccessChain(input.userId, input.records, heads), signedHead: signed };
}
