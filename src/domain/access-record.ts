/**
 * An access record — what the gateway read, for whom, under which consent — and its place in the
 * person's hash chain. Each person's records form one chain: record n carries the hash of record
 * n−1, and its own hash covers its fields, its sequence number and that previous hash. Removing,
 * altering or reordering a record therefore breaks the chain at that record, which anyone holding
 * the records can recompute (src/access-log/verify-access-chain.ts) without trusting the store.
 *
 * The hash is computed in the gateway (not in SQL) from a canonical encoding defined only here,
 * so the writer and every verifier agree byte for byte.
 */
import { hash } from "node:crypto";

/** What the gateway read, for whom, under which consent. */
export interface AccessRecord {
  userId: string;
  clientId: string;
  linkId: string;
  institutionId: string;
  /** The consent that allowed the read; null only for a read no consent covers. */
  consentId: string | null;
  scope: string;
  purpose: string;
  operationName: string | null;
  requestId: string;
  at: Date;
}

/** A record's place in its person's chain. */
export interface ChainPosition {
  /** 1, 2, 3, … per person, without gaps, in commit order. */
  seq: number;
  /** The previous record's hash; {@link GENESIS_HASH} for seq 1. */
  prevHash: string;
  /** SHA-256 (hex) of {@link canonicalAccessRecord}. */
  hash: string;
}

/** An access record as chained. */
export type ChainedAccessRecord = AccessRecord & ChainPosition;

/** A person's chain tip: the last sequence number and hash (seq 0 and {@link GENESIS_HASH} before the first record). */
export interface ChainTip {
  seq: number;
  hash: string;
}

/** What record 1 names as its predecessor. */
export const GENESIS_HASH = "0".repeat(64);

/** Versions the encoding: a change of fields or order is a new version, never a silent change. */
const ENCODING = "bankgraph-access-record/1";

/**
 * The bytes a record's hash covers: a JSON array in a fixed order (JSON.stringify of strings,
 * numbers and nulls is deterministic). UUIDs are lower-cased as the store returns them, the
 * time is ISO 8601 in UTC with milliseconds, as the store keeps it.
 */
export function canonicalAccessRecord(record: AccessRecord, seq: number, prevHash: string): string {
  return JSON.stringify([
    ENCODING,
    record.userId,
    seq,
    prevHash,
    recordTime(record.at),
    record.clientId,
    record.linkId.toLowerCase(),
    record.institutionId,
    record.consentId?.toLowerCase() ?? null,
    record.scope,
    record.purpose,
    record.operationName,
    record.requestId,
  ]);
}

/** The last instant written as text: a request's records (a dashboard's 18) share one `at`. */
let lastTime = Number.NaN;
let lastText = "";

/** `at` as the store keeps it and the encoding covers it: ISO 8601, UTC, milliseconds. */
export function recordTime(at: Date): string {
  const time = at.getTime();
  if (time !== lastTime) {
    lastText = at.toISOString();
    lastTime = time;
  }
  return lastText;
}

/** The hash a record must carry at `seq` after `prevHash` (one-shot: no Hash object per record). */
export function accessRecordHash(record: AccessRecord, seq: number, prevHash: string): string {
  return hash("sha256", canonicalAccessRecord(record, seq, prevHash), "hex");
}

/**
 * Where `record` goes in the chain ending at `tip`: its position, which is also the new tip. The
 * writer's path (a dashboard chains 18 records): no copy of the record.
 */
export function chainPositionAfter(tip: ChainTip, record: AccessRecord): ChainPosition {
  const seq = tip.seq + 1;
  return { seq, prevHash: tip.hash, hash: accessRecordHash(record, seq, tip.hash) };
}

/** Extends the chain ending at `tip` with `record`: the chained record, which is also the new tip. */
export function chainAfter(tip: ChainTip, record: AccessRecord): ChainedAccessRecord {
  return { ...record, ...chainPositionAfter(tip, record) };
}
