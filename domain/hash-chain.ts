// Longer than most modules because the entry format, its canonical hashing and the chain check must change together.
/**
 * Tamper-evident per-case audit chain.
 *
 * Every audit entry commits to its predecessor's hash, so editing, deleting,
 * reordering or splicing entries breaks the chain at a precise seq. A chain on
 * its own cannot catch a writer who rewrites a whole suffix and recomputes every
 * hash (no secret is involved), nor a truncated tail; that is what the Merkle
 * anchors are for: heads are periodically anchored somewhere the database
 * writer cannot reach, and a later check proves each anchored head is still
 * part of its chain.
 *
 * Pure module: no I/O, no clock, no randomness.
 */
import { createHash } from 'node:crypto';

export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
}

export class AuditChainError extends Error {
  override readonly name = 'AuditChainError';
}

/**
 * Deterministic JSON: object keys sorted by UTF-16 code unit (the same order as
 * RFC 8785), no whitespace, arrays in order.
 *
 * It mirrors what JSON.stringify + JSON.parse would do to the value (undefined
 * properties dropped, undefined array items become null, toJSON honoured), so
 * hashing a value before storage and after reading it back gives the same
 * digest. Where JSON.stringify would silently lose data (NaN, Infinity, bigint,
 * functions, symbols, Maps, class instances) or loop forever (cycles) this
 * throws instead: an audit hash over silently mangled data is worse than none.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) {
    throw new CanonicalJsonError('undefined has no JSON representation');
  }
  return encode(value, new Set<object>(), '$');
}

function encode(value: unknown, ancestors: Set<object>, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) {
        throw new CanonicalJsonError(`non-finite number at ${path}`);
      }
      // JSON.stringify already uses the shortest round-tripping form and maps -0 to 0.
      return JSON.stringify(value);
    case 'object':
      return encodeObject(value, ancestors, path);
    default:
      throw new CanonicalJsonError(`unsupported ${typeof value} at ${path}`);
  }
}

function encodeObject(value: object, ancestors: Set<object>, path: string): string {
  if (ancestors.has(value)) {
    throw new CanonicalJsonError(`cycle at ${path}`);
  }
  const toJSON: unknown = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    const replaced: unknown = toJSON.call(value);
    if (replaced === undefined) {
      throw new CanonicalJsonError(`toJSON returned undefined at ${path}`);
    }
    ancestors.add(value);
    try {
      return encode(replaced, ancestors, path);
    } finally {
      ancestors.delete(value);
    }
  }

  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.map((item: unknown, i) =>
        item === undefined ? 'null' : encode(item, ancestors, `${path}[${i}]`),
      );
      return `[${items.join(',')}]`;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      // Maps, Sets, typed arrays and class instances would serialise as {} or
      // lose their type; audit payloads must be plain data.
      throw new CanonicalJsonError(`non-plain object at ${path}`);
    }
    const record = value as Record<string, unknown>;
    const parts: string[] = [];
    // Default sort compares UTF-16 code units, independent of locale.
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      if (member === undefined) continue;
      parts.push(`${JSON.stringify(key)}:${encode(member, ancestors, `${path}.${key}`)}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export const GENESIS_HASH = '0'.repeat(64);

const HEX64 = /^[0-9a-f]{64}$/;

export interface AuditEntryBody {
  caseId: string;
  /** 1-based, contiguous per case. */
  seq: number;
  /** ISO-8601 timestamp, hashed exactly as stored. */
  at: string;
  actor: { id: string; role?: string };
  action: string;
  /** Usually the result of {@link payloadForStorage}; hashed in its stored form. */
  payload: unknown;
  /** GENESIS_HASH for seq 1, otherwise the previous entry's hash. */
  prevHash: string;
}

export interface AuditEntry extends AuditEntryBody {
  hash: string;
}

// Picks the body fields explicitly so that passing a stored AuditEntry (which
// carries its own `hash`, maybe DB metadata too) hashes the same as its body.
function bodyOf(entry: AuditEntryBody): AuditEntryBody {
  return {
    caseId: entry.caseId,
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    payload: entry.payload,
    prevHash: entry.prevHash,
  };
}

/** sha256 hex of canonicalJson(body); any `hash` or extra field on the argument is ignored. */
export function hashEntry(body: AuditEntryBody): string {
  return sha256Hex(canonicalJson(bodyOf(body)));
}

/** Validates the body and returns it with its hash. Throws AuditChainError on a malformed body. */
export function sealEntry(body: AuditEntryBody): AuditEntry {
  const problem = bodyProblem(body);
  if (problem !== null) throw new AuditChainError(problem);
  const clean = bodyOf(body);
  return { ...clean, hash: hashEntry(clean) };
}

function bodyProblem(body: AuditEntryBody): string | null {
  if (typeof body.caseId !== 'string' || body.caseId === '') return 'caseId must be a non-empty string';
  if (!Number.isSafeInteger(body.seq) || body.seq < 1) return 'seq must be an integer >= 1';
  if (typeof body.at !== 'string' || !Number.isFinite(Date.parse(body.at))) {
    return 'at must be an ISO timestamp';
  }
  if (typeof body.actor !== 'object' || body.actor === null || typeof body.actor.id !== 'string') {
    return 'actor.id must be a string';
  }
  if (body.actor.role !== undefined && typeof body.actor.role !== 'string') {
    return 'actor.role must be a string when present';
  }
  if (typeof body.action !== 'string' || body.action === '') return 'action must be a non-empty string';
  if (typeof body.prevHash !== 'string' || !HEX64.test(body.prevHash)) {
    return 'prevHash must be 64 lowercase hex chars';
  }
  if ((body.seq === 1) !== (body.prevHash === GENESIS_HASH)) {
    return 'prevHash must be GENESIS_HASH exactly when seq is 1';
  }
  return null;
}

/** sha256 hex of canonicalJson(payload): what {@link payloadForStorage} records for offloaded payloads. */
export function hashPayload(payload: unknown): string {
  return sha256Hex(canonicalJson(payload));
}

/**
 * Decides how an audit payload is stored in the entry.
 *
 * Payloads whose canonical JSON fits in `maxBytes` (UTF-8) are kept inline as
 * `{ payload }`. Larger ones are replaced by `{ payloadHash, payloadBytes }`,
 * keeping audit rows small (DynamoDB items are capped at 400 KB) while the
 * full document lives wherever the caller puts it (evidence store, etc.).
 *
 * Store the returned object itself as `AuditEntryBody.payload`. hashEntry then
 * covers that stored form, so the chain proves which payload hash was recorded,
 * and the offloaded document can be checked later with
 * `hashPayload(doc) === stored.payloadHash`. Dropping the offloaded document
 * does not break the chain; substituting it is detectable.
 */
export function payloadForStorage(
  payload: unknown,
  maxBytes = 8192,
): { payload: unknown } | { payloadHash: string; payloadBytes: number } {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new AuditChainError('maxBytes must be a non-negative integer');
  }
  // An absent payload is dropped from the hashed body anyway; nothing to measure.
  if (payload === undefined) return { payload: undefined };
  const json = canonicalJson(payload);
  const payloadBytes = Buffer.byteLength(json, 'utf8');
  if (payloadBytes <= maxBytes) return { payload };
  return { payloadHash: sha256Hex(json), payloadBytes };
}

export type ChainProblem = 'hash_mismatch' | 'prev_mismatch' | 'gap' | 'duplicate' | 'wrong_case';

export type VerifyChainResult =
  | { ok: true; head: { seq: number; hash: string } | null; count: number }
  | { ok: false; brokenAt: number; problem: ChainProblem; expected: string; found: string };

/**
 * Walks a case's entries (as read from the store, sorted by seq) and reports
 * the first entry that cannot be vouched for. Checks per entry, in order:
 *
 * - wrong_case: caseId differs from `expectedCaseId` (or from the first entry's).
 * - gap: seq skips ahead, e.g. entry k deleted → reported at k+1 (the first
 *   surviving entry after the hole); an entry whose seq is not an integer >= 1
 *   is also a gap, reported at the seq that was expected there.
 * - duplicate: seq already seen (two entries claim the same slot, or the read
 *   was not sorted).
 * - prev_mismatch: prevHash is not the previous entry's stored hash.
 * - hash_mismatch: stored hash is not hashEntry(entry).
 *
 * `brokenAt` is the seq of the offending entry, so every entry with a smaller
 * seq is intact. `expected`/`found` show the compared values.
 *
 * Not detectable here: a truncated tail, or a suffix rewritten with freshly
 * computed hashes. Check the last entry against a recorded head
 * ({@link verifyRecordedHead}) and heads against an anchor for those.
 */
export function verifyChain(entries: readonly AuditEntry[], expectedCaseId?: string): VerifyChainResult {
  const caseId = expectedCaseId ?? entries[0]?.caseId;
  let prevHash = GENESIS_HASH;
  for (const [i, entry] of entries.entries()) {
    const expectedSeq = i + 1;
    const seqValid = Number.isSafeInteger(entry.seq) && entry.seq >= 1;
    const at = seqValid ? entry.seq : expectedSeq;

    if (entry.caseId !== caseId) {
      return broken(at, 'wrong_case', String(caseId), String(entry.caseId));
    }
    if (!seqValid || entry.seq > expectedSeq) {
      return broken(at, 'gap', String(expectedSeq), String(entry.seq));
    }
    if (entry.seq < expectedSeq) {
      return broken(at, 'duplicate', String(expectedSeq), String(entry.seq));
    }
    if (entry.prevHash !== prevHash) {
      return broken(at, 'prev_mismatch', prevHash, String(entry.prevHash));
    }
    let recomputed: string;
    try {
      recomputed = hashEntry(entry);
    } catch (err) {
      // A body that cannot even be canonicalised was not written by sealEntry.
      return broken(at, 'hash_mismatch', `unhashable: ${(err as Error).message}`, String(entry.hash));
    }
    if (entry.hash !== recomputed) {
      return broken(at, 'hash_mismatch', recomputed, String(entry.hash));
    }
    prevHash = entry.hash;
  }
  const last = entries[entries.length - 1];
  return {
    ok: true,
    head: last === undefined ? null : { seq: last.seq, hash: last.hash },
    count: entries.length,
  };
}

function broken(
  brokenAt: number,
  problem: ChainProblem,
  expected: string,
  found: string,
): Extract<VerifyChainResult, { ok: false }> {
  return { ok: false, brokenAt, problem, expected, found };
}

/**
 * What can be wrong with a chain's end when something written in the same
 * transaction as each entry remembers its head (the case record does):
 *
 * - tail_truncated: the recorded head's entry is gone, the chain ends before
 *   it; reported at the first missing seq.
 * - tail_appended: the recorded head is there, intact, but entries follow it;
 *   reported at the first of them.
 * - head_mismatch: the entry at the recorded seq has another hash (the chain
 *   was rewritten up to there, freshly hashed); reported at the recorded seq.
 */
export type HeadProblem = 'tail_truncated' | 'tail_appended' | 'head_mismatch';

/**
 * Compares a chain's last entry with the head recorded beside it. Null when
 * they agree. Run {@link verifyChain} first: this assumes contiguous, linked
 * entries and only looks at the end. `expected`/`found` read `seq:hash`
 * (`none` for an empty chain).
 */
export function verifyRecordedHead(
  entries: readonly AuditEntry[],
  recorded: { seq: number; hash: string },
): { brokenAt: number; problem: HeadProblem; expected: string; found: string } | null {
  const last = entries[entries.length - 1];
  if (last !== undefined && last.seq === recorded.seq && last.hash === recorded.hash) return null;
  const expected = `${recorded.seq}:${recorded.hash}`;
  const found = last === undefined ? 'none' : `${last.seq}:${last.hash}`;
  const atHead = entries.find((e) => e.seq === recorded.seq);
  if (atHead !== undefined && atHead.hash === recorded.hash) {
    return { brokenAt: recorded.seq + 1, problem: 'tail_appended', expected, found };
  }
  if (atHead === undefined && (last === undefined || last.seq < recorded.seq)) {
    return { brokenAt: (last?.seq ?? 0) + 1, problem: 'tail_truncated', expected, found };
  }
  return { brokenAt: recorded.seq, problem: 'head_mismatch', expected, found };
}

const EMPTY_SHA256 = sha256Hex('');

// Domain-separation prefixes (as in RFC 6962) so a leaf can never be passed
// off as an interior node or vice versa.
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/**
 * Merkle root over hex sha256 leaves, in the order given (callers sort, e.g.
 * by caseId via {@link anchorRoot}). Each level pairs neighbours as
 * sha256(0x01 || left || right) over the raw 32-byte digests; an odd last
 * node is promoted unchanged. One leaf → that leaf; no leaves → sha256('').
 */
export function merkleRoot(leaves: readonly string[]): string {
  for (const leaf of leaves) {
    if (!HEX64.test(leaf)) throw new AuditChainError(`merkle leaf is not a sha256 hex digest: ${leaf}`);
  }
  if (leaves.length === 0) return EMPTY_SHA256;
  let level = [...leaves];
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i] as string;
      const right = level[i + 1];
      next.push(
        right === undefined
          ? left
          : sha256Hex(Buffer.concat([NODE_PREFIX, Buffer.from(left, 'hex'), Buffer.from(right, 'hex')])),
      );
    }
    level = next;
  }
  return level[0] as string;
}

export interface ChainHead {
  caseId: string;
  seq: number;
  hash: string;
}

/** sha256(0x00 || canonicalJson({ caseId, seq, hash })) as hex. */
export function anchorLeaf(head: ChainHead): string {
  const json = canonicalJson({ caseId: head.caseId, seq: head.seq, hash: head.hash });
  return sha256Hex(Buffer.concat([LEAF_PREFIX, Buffer.from(json, 'utf8')]));
}

/**
 * Root of an anchor: heads sorted by caseId (code-unit order), one leaf each.
 * Publish this root out of reach of the database writer and keep the heads
 * next to it; recompute the root from the heads before trusting them.
 */
export function anchorRoot(heads: readonly ChainHead[]): string {
  assertUniqueCases(heads, 'anchor heads');
  const sorted = [...heads].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  return merkleRoot(sorted.map(anchorLeaf));
}

/**
 * What to pass as `currentHeads` to {@link verifyAgainstAnchor} for one case:
 * the entry at `seq` if present, otherwise the last entry before it (so a
 * truncated chain shows up with a lower seq), or null when the case has no
 * entry at or before `seq`. Run verifyChain on the same entries first: this only
 * looks up, it does not verify.
 */
export function chainHeadAt(entries: readonly AuditEntry[], seq: number): ChainHead | null {
  let best: AuditEntry | undefined;
  for (const entry of entries) {
    if (entry.seq === seq) return { caseId: entry.caseId, seq: entry.seq, hash: entry.hash };
    if (entry.seq < seq && (best === undefined || entry.seq > best.seq)) best = entry;
  }
  return best === undefined ? null : { caseId: best.caseId, seq: best.seq, hash: best.hash };
}

/**
 * Compares anchored heads with what the store holds now.
 *
 * `currentHeads` holds, per case, the current entry at the anchored seq
 * (see {@link chainHeadAt}); a case with no entries at all is simply left out.
 * Cases created after the anchor may be included and are ignored.
 *
 * - missing: anchored cases absent from currentHeads.
 * - rewritten: anchored cases whose current entry at the anchored seq has a
 *   different hash, or that no longer reach that seq (truncated).
 *
 * Because each hash commits to the whole prefix, a matching hash at the
 * anchored seq plus a clean verifyChain proves nothing up to that seq changed.
 * Both lists are sorted.
 */
export function verifyAgainstAnchor(
  anchorHeads: readonly ChainHead[],
  currentHeads: readonly ChainHead[],
): { missing: string[]; rewritten: string[] } {
  assertUniqueCases(anchorHeads, 'anchor heads');
  assertUniqueCases(currentHeads, 'current heads');
  const current = new Map(currentHeads.map((head) => [head.caseId, head]));
  const missing: string[] = [];
  const rewritten: string[] = [];
  for (const anchored of anchorHeads) {
    const now = current.get(anchored.caseId);
    if (now === undefined) missing.push(anchored.caseId);
    else if (now.seq !== anchored.seq || now.hash !== anchored.hash) rewritten.push(anchored.caseId);
  }
  return { missing: missing.sort(), rewritten: rewritten.sort() };
}

function assertUniqueCases(heads: readonly ChainHead[], what: string): void {
  const seen = new Set<string>();
  for (const head of heads) {
    // Two heads for one case would make the comparison ambiguous.
    if (seen.has(head.caseId)) throw new AuditChainError(`duplicate caseId in ${what}: ${head.caseId}`);
    seen.add(head.caseId);
  }
}
