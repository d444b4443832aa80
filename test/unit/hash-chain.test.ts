import { createHash } from 'node:crypto';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  AuditChainError,
  CanonicalJsonError,
  GENESIS_HASH,
  anchorLeaf,
  anchorRoot,
  canonicalJson,
  chainHeadAt,
  hashEntry,
  hashPayload,
  merkleRoot,
  payloadForStorage,
  sealEntry,
  verifyAgainstAnchor,
  verifyChain,
  verifyRecordedHead,
  type AuditEntry,
  type AuditEntryBody,
  type ChainHead,
  type ChainProblem,
} from '../../domain/hash-chain.ts';

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

// Independent oracle for canonicalJson on plain JSON values. It writes objects
// by hand because JS objects enumerate integer-like keys first, whatever the
// insertion order, so "sort then JSON.stringify" would not sort them.
function sortedStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedStringify(record[k])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

// Small seeded PRNG so key shuffles are reproducible from a fast-check seed.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffleKeysDeep(value: unknown, rand: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeysDeep(v, rand));
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [keys[i], keys[j]] = [keys[j] as string, keys[i] as string];
    }
    return Object.fromEntries(keys.map((k) => [k, shuffleKeysDeep(record[k], rand)]));
  }
  return value;
}

describe('canonicalJson', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'null'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['zero', 0, '0'],
    ['negative zero', -0, '0'],
    ['fraction', 1.5, '1.5'],
    ['large number', 1e21, '1e+21'],
    ['tiny number', 5e-7, '5e-7'],
    ['string with escapes', 'a"b\\c\n', '"a\\"b\\\\c\\n"'],
    ['lone surrogate escaped', '\ud800', '"\\ud800"'],
    ['empty string', '', '""'],
    ['empty array', [], '[]'],
    ['empty object', {}, '{}'],
    [
      'nested, keys sorted recursively, arrays in order',
      { b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } },
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    ],
    ['undefined properties dropped', { a: undefined, b: 1, c: { d: undefined } }, '{"b":1,"c":{}}'],
    ['undefined array items become null, as in JSON', [undefined, 1], '[null,1]'],
    ['Date via toJSON', { at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) }, '{"at":"2024-01-02T03:04:05.000Z"}'],
    ['integer-like keys sort as strings', { 10: 'x', 9: 'y', a: 'z' }, '{"10":"x","9":"y","a":"z"}'],
    ['upper before lower (code-unit order)', { b: 1, B: 2, a: 3 }, '{"B":2,"a":3,"b":1}'],
    [
      'non-ASCII keys by UTF-16 code unit',
      { '\uffff': 1, é: 2, '😀': 3, z: 4 },
      '{"z":4,"é":2,"😀":3,"\uffff":1}',
    ],
    ['whitespace only inside strings', { 'a b': ' x ', c: [1, 2] }, '{"a b":" x ","c":[1,2]}'],
  ])('%s', (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('accepts null-prototype objects', () => {
    const o = Object.create(null) as Record<string, unknown>;
    o.b = 1;
    o.a = 2;
    expect(canonicalJson(o)).toBe('{"a":2,"b":1}');
  });

  it('accepts the same object referenced twice (shared, not cyclic)', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ p: shared, q: [shared] })).toBe('{"p":{"x":1},"q":[{"x":1}]}');
  });

  const cyclicObject: Record<string, unknown> = { a: 1 };
  cyclicObject.self = cyclicObject;
  const cyclicArray: unknown[] = [1];
  cyclicArray.push(cyclicArray);
  class Point {
    constructor(readonly x: number) {}
  }

  it.each<[string, unknown]>([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['nested NaN', { a: [1, { b: NaN }] }],
    ['nested Infinity in array', [1, [Infinity]]],
    ['top-level undefined', undefined],
    ['bigint', 1n],
    ['nested bigint', { n: 1n }],
    ['function', () => 1],
    ['function property', { f: () => 1 }],
    ['symbol', Symbol('s')],
    ['symbol property', { s: Symbol('s') }],
    ['Map', new Map([['a', 1]])],
    ['Set', new Set([1])],
    ['class instance', new Point(1)],
    ['typed array', new Uint8Array([1, 2])],
    ['cyclic object', cyclicObject],
    ['cyclic array', cyclicArray],
    ['toJSON returning undefined', { toJSON: () => undefined }],
  ])('rejects %s', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
  });

  it('names the path of a rejected value', () => {
    expect(() => canonicalJson({ a: [1, { b: NaN }] })).toThrow('$.a[1].b');
  });

  it('matches an independent sorted stringify on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(sortedStringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on key insertion order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        const shuffled = shuffleKeysDeep(value, mulberry32(seed));
        expect(canonicalJson(shuffled)).toBe(canonicalJson(value));
      }),
      { numRuns: 500 },
    );
  });

  it('is stable across a store round trip (parse then re-canonicalise is a no-op)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const once = canonicalJson(value);
        expect(canonicalJson(JSON.parse(once))).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('hashes the same before and after JSON storage even with undefined and Dates', () => {
    const value = { at: new Date(0), gone: undefined, list: [undefined, { x: undefined, y: 2 }] };
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });
});

const T0 = Date.UTC(2024, 4, 1, 8, 0, 0);

function makeChain(caseId: string, payloads: readonly unknown[], startAt = T0): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const [i, payload] of payloads.entries()) {
    const role = i % 3 === 0 ? undefined : i % 3 === 1 ? 'inspector' : 'dorm-manager';
    entries.push(
      sealEntry({
        caseId,
        seq: i + 1,
        at: new Date(startAt + i * 60_000).toISOString(),
        actor: role === undefined ? { id: `u-${i}` } : { id: `u-${i}`, role },
        action: `step.${i}`,
        payload,
        prevHash: entries[i - 1]?.hash ?? GENESIS_HASH,
      }),
    );
  }
  return entries;
}

const sequentialPayloads = (n: number): unknown[] => Array.from({ length: n }, (_, i) => ({ i }));

describe('hashEntry / sealEntry', () => {
  const body: AuditEntryBody = {
    caseId: 'case-1',
    seq: 1,
    at: '2024-05-01T08:00:00.000Z',
    actor: { id: 'u-1', role: 'inspector' },
    action: 'case.created',
    payload: { b: [true, null], a: 1 },
    prevHash: GENESIS_HASH,
  };

  it('GENESIS_HASH is 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('is sha256 of the canonical body (vector computed independently)', () => {
    // Vector from Python hashlib over the hand-written canonical form.
    const canonical =
      '{"action":"case.created","actor":{"id":"u-1","role":"inspector"},"at":"2024-05-01T08:00:00.000Z",' +
      `"caseId":"case-1","payload":{"a":1,"b":[true,null]},"prevHash":"${GENESIS_HASH}","seq":1}`;
    expect(canonicalJson(body)).toBe(canonical);
    expect(hashEntry(body)).toBe(sha256(canonical));
    expect(hashEntry(body)).toBe('e4a9d89ce1a57c89dc24eecd73e4994056fb11c541a494b956ae74c3244045e5');
  });

  it('ignores the hash field and unknown fields of a stored entry', () => {
    const sealed = sealEntry(body);
    expect(hashEntry(sealed)).toBe(sealed.hash);
    const withMetadata = { ...sealed, hash: 'f'.repeat(64), pk: 'CASE#1', ttl: 123 };
    expect(hashEntry(withMetadata)).toBe(sealed.hash);
  });

  it('covers every body field', () => {
    const base = hashEntry(body);
    const edits: AuditEntryBody[] = [
      { ...body, caseId: 'case-2' },
      { ...body, seq: 2, prevHash: 'a'.repeat(64) },
      { ...body, at: '2024-05-01T08:00:00.001Z' },
      { ...body, actor: { id: 'u-2', role: 'inspector' } },
      { ...body, actor: { id: 'u-1' } },
      { ...body, action: 'case.closed' },
      { ...body, payload: { a: 2, b: [true, null] } },
      { ...body, prevHash: '1'.repeat(64) },
    ];
    for (const edited of edits) expect(hashEntry(edited)).not.toBe(base);
  });

  it('returns a clean copy with the hash and no extra properties', () => {
    const sealed = sealEntry({ ...body, extra: 'dropped' } as AuditEntryBody);
    expect(sealed).toEqual({ ...body, hash: hashEntry(body) });
    expect(Object.keys(sealed)).not.toContain('extra');
  });

  it.each<[string, Partial<AuditEntryBody>]>([
    ['empty caseId', { caseId: '' }],
    ['seq 0', { seq: 0 }],
    ['fractional seq', { seq: 1.5 }],
    ['NaN seq', { seq: NaN }],
    ['seq 1 with a non-genesis prevHash', { prevHash: 'a'.repeat(64) }],
    ['seq 2 with GENESIS prevHash', { seq: 2 }],
    ['uppercase prevHash', { seq: 2, prevHash: 'A'.repeat(64) }],
    ['short prevHash', { seq: 2, prevHash: 'a'.repeat(63) }],
    ['unparseable at', { at: 'yesterday' }],
    ['actor without id', { actor: {} as { id: string } }],
    ['non-string role', { actor: { id: 'u', role: 7 as unknown as string } }],
    ['empty action', { action: '' }],
  ])('sealEntry rejects %s', (_name, patch) => {
    expect(() => sealEntry({ ...body, ...patch })).toThrow(AuditChainError);
  });

  it('sealEntry rejects an unhashable payload', () => {
    expect(() => sealEntry({ ...body, payload: { n: NaN } })).toThrow(CanonicalJsonError);
  });
});

describe('payloadForStorage', () => {
  it('keeps small payloads inline, as the same value', () => {
    const payload = { note: 'ok' };
    const stored = payloadForStorage(payload);
    expect(stored).toEqual({ payload });
    expect('payload' in stored && stored.payload).toBe(payload);
  });

  it('measures canonical JSON bytes, inclusive at the limit', () => {
    // canonicalJson('x'.repeat(k)) is k + 2 bytes (the quotes).
    expect(payloadForStorage('x'.repeat(8), 10)).toEqual({ payload: 'x'.repeat(8) });
    expect(payloadForStorage('x'.repeat(9), 10)).toEqual({
      payloadHash: sha256(`"${'x'.repeat(9)}"`),
      payloadBytes: 11,
    });
  });

  it('defaults to 8192 bytes', () => {
    expect(payloadForStorage('a'.repeat(8190))).toEqual({ payload: 'a'.repeat(8190) });
    expect(payloadForStorage('a'.repeat(8191))).toMatchObject({ payloadBytes: 8193 });
  });

  it('counts UTF-8 bytes, not UTF-16 units', () => {
    // '"整改"' is 2 + 2*3 = 8 bytes but only 4 UTF-16 units.
    expect(payloadForStorage('整改', 7)).toEqual({ payloadHash: sha256('"整改"'), payloadBytes: 8 });
    expect(payloadForStorage('整改', 8)).toEqual({ payload: '整改' });
  });

  it('hashes the canonical form, so key order does not matter', () => {
    const a = payloadForStorage({ b: 'y'.repeat(50), a: 1 }, 10);
    const b = payloadForStorage({ a: 1, b: 'y'.repeat(50) }, 10);
    expect(a).toEqual(b);
    expect(a).toEqual({
      payloadHash: hashPayload({ a: 1, b: 'y'.repeat(50) }),
      payloadBytes: canonicalJson({ a: 1, b: 'y'.repeat(50) }).length,
    });
  });

  it('passes an absent payload through', () => {
    expect(payloadForStorage(undefined)).toEqual({ payload: undefined });
  });

  it.each([-1, 1.5, NaN])('rejects maxBytes %s', (maxBytes) => {
    expect(() => payloadForStorage({}, maxBytes)).toThrow(AuditChainError);
  });

  it('rejects payloads that cannot be canonicalised', () => {
    expect(() => payloadForStorage({ x: Infinity })).toThrow(CanonicalJsonError);
  });

  it('the chain covers the stored envelope, and the offloaded document is checkable', () => {
    const document = { photos: 'p'.repeat(10_000) };
    const stored = payloadForStorage(document);
    const chain = makeChain('case-big', [stored, payloadForStorage({ small: true })]);
    expect(verifyChain(chain)).toMatchObject({ ok: true, count: 2 });
    expect('payloadHash' in stored && stored.payloadHash).toBe(hashPayload(document));

    const swapped = structuredClone(chain);
    (swapped[0] as AuditEntry).payload = payloadForStorage({ photos: 'q'.repeat(10_000) });
    expect(verifyChain(swapped)).toMatchObject({ ok: false, brokenAt: 1, problem: 'hash_mismatch' });
  });
});

type Mutation =
  | { kind: 'edit'; k: number; field: EditableField }
  | { kind: 'renumber'; k: number; v: number }
  | { kind: 'delete'; k: number }
  | { kind: 'swap'; i: number; j: number }
  | { kind: 'insert'; k: number; style: 'careful-shift' | 'sloppy-shift' | 'dup-before' | 'dup-after' };

type EditableField = 'caseId' | 'at' | 'actor.id' | 'actor.role' | 'action' | 'payload' | 'prevHash' | 'hash';

const EDITABLE: readonly EditableField[] = [
  'caseId',
  'at',
  'actor.id',
  'actor.role',
  'action',
  'payload',
  'prevHash',
  'hash',
];

const flipHex = (hex: string): string => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
const bySeq = (a: AuditEntry, b: AuditEntry): number => a.seq - b.seq;

interface Expected {
  brokenAt: number;
  problem: ChainProblem;
}

/**
 * Applies one tamper to a clone of the chain and returns the entries as the
 * store would return them (sorted by seq, stable) plus where verifyChain must
 * report the break.
 */
function tamper(
  chain: readonly AuditEntry[],
  m: Mutation,
  caseIdPinned: boolean,
): { entries: AuditEntry[]; expected: Expected } {
  const entries = structuredClone(chain) as AuditEntry[];
  const n = entries.length;
  const at = (seq: number): AuditEntry => entries[seq - 1] as AuditEntry;
  switch (m.kind) {
    case 'edit': {
      const e = at(m.k);
      let problem: ChainProblem = 'hash_mismatch';
      switch (m.field) {
        case 'caseId':
          e.caseId += '~';
          // Without a pinned caseId the first entry defines the case, so only its hash betrays it.
          problem = caseIdPinned || m.k > 1 ? 'wrong_case' : 'hash_mismatch';
          break;
        case 'at':
          e.at = new Date(Date.parse(e.at) + 1).toISOString();
          break;
        case 'actor.id':
          e.actor.id += '~';
          break;
        case 'actor.role':
          if (e.actor.role === undefined) e.actor.role = 'forger';
          else delete e.actor.role;
          break;
        case 'action':
          e.action += '~';
          break;
        case 'payload':
          e.payload = { tampered: e.payload };
          break;
        case 'prevHash':
          e.prevHash = flipHex(e.prevHash);
          problem = 'prev_mismatch';
          break;
        case 'hash':
          e.hash = flipHex(e.hash);
          break;
      }
      return { entries, expected: { brokenAt: m.k, problem } };
    }
    case 'renumber': {
      at(m.k).seq = m.v;
      entries.sort(bySeq);
      if (m.v < m.k) return { entries, expected: { brokenAt: m.v, problem: 'duplicate' } };
      return { entries, expected: { brokenAt: m.k < n ? m.k + 1 : m.v, problem: 'gap' } };
    }
    case 'delete': {
      entries.splice(m.k - 1, 1);
      return { entries, expected: { brokenAt: m.k + 1, problem: 'gap' } };
    }
    case 'swap': {
      // Exchanging seqs too keeps the read sorted: the entries really did trade places.
      const a = at(m.i);
      const b = at(m.j);
      [a.seq, b.seq] = [b.seq, a.seq];
      entries.sort(bySeq);
      return { entries, expected: { brokenAt: m.i, problem: 'prev_mismatch' } };
    }
    case 'insert': {
      const original = at(m.k);
      const forged = sealEntry({
        caseId: original.caseId,
        seq: m.k,
        at: original.at,
        actor: { id: 'mallory' },
        action: 'forged',
        payload: { forged: true },
        prevHash: m.k === 1 ? GENESIS_HASH : at(m.k - 1).hash,
      });
      switch (m.style) {
        case 'careful-shift':
          // A self-consistent forgery only shows at its successor, whose prevHash no longer matches.
          for (const e of entries.slice(m.k - 1)) e.seq += 1;
          entries.splice(m.k - 1, 0, forged);
          return { entries, expected: { brokenAt: m.k + 1, problem: 'prev_mismatch' } };
        case 'sloppy-shift':
          for (const e of entries.slice(m.k - 1)) e.seq += 1;
          entries.splice(m.k - 1, 0, { ...forged, hash: original.hash });
          return { entries, expected: { brokenAt: m.k, problem: 'hash_mismatch' } };
        case 'dup-before':
          entries.splice(m.k - 1, 0, forged);
          return { entries, expected: { brokenAt: m.k, problem: 'duplicate' } };
        case 'dup-after':
          entries.splice(m.k, 0, forged);
          return { entries, expected: { brokenAt: m.k, problem: 'duplicate' } };
      }
    }
  }
}

function mutationFor(n: number): fc.Arbitrary<Mutation> {
  const seqIn = (lo: number, hi: number): fc.Arbitrary<number> => fc.integer({ min: lo, max: hi });
  const options: fc.Arbitrary<Mutation>[] = [
    fc.record({ kind: fc.constant('edit' as const), k: seqIn(1, n), field: fc.constantFrom(...EDITABLE) }),
    fc.record({
      kind: fc.constant('insert' as const),
      k: seqIn(1, n),
      style: fc.constantFrom(
        'careful-shift' as const,
        'sloppy-shift' as const,
        'dup-before' as const,
        'dup-after' as const,
      ),
    }),
    seqIn(1, n).chain((k) =>
      seqIn(1, n + 3)
        .filter((v) => v !== k)
        .map((v): Mutation => ({ kind: 'renumber', k, v })),
    ),
  ];
  if (n >= 2) {
    // Deleting the last entry is truncation, which only an anchor can see (tested below).
    options.push(fc.record({ kind: fc.constant('delete' as const), k: seqIn(1, n - 1) }));
    options.push(
      seqIn(1, n - 1).chain((i) => seqIn(i + 1, n).map((j): Mutation => ({ kind: 'swap', i, j }))),
    );
  }
  return fc.oneof(...options);
}

const chainScenario = fc.integer({ min: 1, max: 10 }).chain((n) =>
  fc.record({
    caseId: fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }),
    payloads: fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: n, maxLength: n }),
    pinCaseId: fc.boolean(),
    mutation: mutationFor(n),
  }),
);

describe('verifyChain', () => {
  it('accepts an empty chain', () => {
    expect(verifyChain([])).toEqual({ ok: true, head: null, count: 0 });
    expect(verifyChain([], 'case-1')).toEqual({ ok: true, head: null, count: 0 });
  });

  it('accepts intact chains and reports the head', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 12 }), (payloads) => {
        const chain = makeChain('case-ok', payloads);
        const last = chain[chain.length - 1] as AuditEntry;
        expect(verifyChain(chain, 'case-ok')).toEqual({
          ok: true,
          head: { seq: payloads.length, hash: last.hash },
          count: payloads.length,
        });
      }),
      { numRuns: 200 },
    );
  });

  it('accepts a chain that survived a JSON store round trip', () => {
    const chain = makeChain('case-json', [{ b: 1, a: undefined }, [undefined], { at: new Date(0) }]);
    expect(verifyChain(JSON.parse(JSON.stringify(chain)) as AuditEntry[])).toMatchObject({
      ok: true,
      count: 3,
    });
  });

  const chain5 = makeChain('case-5', sequentialPayloads(5));
  const e = (seq: number): AuditEntry => structuredClone(chain5[seq - 1] as AuditEntry);

  it('edited payload → hash_mismatch at that seq', () => {
    const edited = { ...e(3), payload: { i: 99 } };
    expect(verifyChain([e(1), e(2), edited, e(4), e(5)])).toEqual({
      ok: false,
      brokenAt: 3,
      problem: 'hash_mismatch',
      expected: hashEntry(edited),
      found: e(3).hash,
    });
  });

  it('edited hash → hash_mismatch at that seq, not at its successor', () => {
    const edited = { ...e(3), hash: flipHex(e(3).hash) };
    expect(verifyChain([e(1), e(2), edited, e(4), e(5)])).toMatchObject({
      brokenAt: 3,
      problem: 'hash_mismatch',
      expected: e(3).hash,
      found: edited.hash,
    });
  });

  it('edited prevHash → prev_mismatch at that seq', () => {
    const edited = { ...e(3), prevHash: flipHex(e(3).prevHash) };
    expect(verifyChain([e(1), e(2), edited, e(4), e(5)])).toEqual({
      ok: false,
      brokenAt: 3,
      problem: 'prev_mismatch',
      expected: e(2).hash,
      found: edited.prevHash,
    });
  });

  it('first entry not anchored at genesis → prev_mismatch at 1', () => {
    const forged = sealEntry({ ...e(2), seq: 2 });
    const asFirst = { ...forged, seq: 1 };
    expect(verifyChain([asFirst])).toMatchObject({
      brokenAt: 1,
      problem: 'prev_mismatch',
      expected: GENESIS_HASH,
    });
  });

  it('deleted entry → gap at the seq after it', () => {
    expect(verifyChain([e(1), e(2), e(4), e(5)])).toEqual({
      ok: false,
      brokenAt: 4,
      problem: 'gap',
      expected: '3',
      found: '4',
    });
    expect(verifyChain([e(2), e(3), e(4), e(5)])).toMatchObject({ brokenAt: 2, problem: 'gap' });
  });

  it('deleted tail is invisible to verifyChain (needs an anchor)', () => {
    expect(verifyChain([e(1), e(2), e(3)])).toEqual({
      ok: true,
      head: { seq: 3, hash: e(3).hash },
      count: 3,
    });
  });

  it('entry read twice → duplicate', () => {
    expect(verifyChain([e(1), e(2), e(3), e(3), e(4)])).toEqual({
      ok: false,
      brokenAt: 3,
      problem: 'duplicate',
      expected: '4',
      found: '3',
    });
  });

  it('unsorted read is rejected, not silently reordered', () => {
    expect(verifyChain([e(1), e(4), e(3), e(2), e(5)])).toMatchObject({
      ok: false,
      brokenAt: 4,
      problem: 'gap',
    });
  });

  it('entries that traded places (seqs renumbered) → prev_mismatch at the earlier seq', () => {
    const a = { ...e(4), seq: 2 };
    const b = { ...e(2), seq: 4 };
    expect(verifyChain([e(1), a, e(3), b, e(5)])).toMatchObject({
      brokenAt: 2,
      problem: 'prev_mismatch',
      expected: e(1).hash,
      found: e(4).prevHash,
    });
  });

  it('well-formed forged insertion → caught at its successor', () => {
    const forged = sealEntry({ ...e(3), actor: { id: 'mallory' }, action: 'forged' });
    const shifted = [e(3), e(4), e(5)].map((x) => ({ ...x, seq: x.seq + 1 }));
    expect(verifyChain([e(1), e(2), forged, ...shifted])).toMatchObject({
      brokenAt: 4,
      problem: 'prev_mismatch',
      expected: forged.hash,
      found: e(3).prevHash,
    });
  });

  it('entry from another case → wrong_case', () => {
    const other = makeChain('case-other', sequentialPayloads(5));
    expect(verifyChain([e(1), e(2), other[2] as AuditEntry, e(4), e(5)])).toEqual({
      ok: false,
      brokenAt: 3,
      problem: 'wrong_case',
      expected: 'case-5',
      found: 'case-other',
    });
  });

  it('whole chain of another case → wrong_case at 1 when the caseId is pinned', () => {
    const other = makeChain('case-other', sequentialPayloads(2));
    expect(verifyChain(other, 'case-5')).toMatchObject({ brokenAt: 1, problem: 'wrong_case' });
    expect(verifyChain(other)).toMatchObject({ ok: true });
  });

  it.each([0, -1, 1.5, NaN])('non-positive or non-integer seq %s → gap at the expected seq', (seq) => {
    expect(verifyChain([e(1), { ...e(2), seq }, e(3)])).toMatchObject({
      ok: false,
      brokenAt: 2,
      problem: 'gap',
      expected: '2',
      found: String(seq),
    });
  });

  it('an unhashable entry is a hash_mismatch, not a crash', () => {
    const bad = { ...e(2), payload: { n: NaN } };
    expect(verifyChain([e(1), bad, e(3)])).toMatchObject({
      ok: false,
      brokenAt: 2,
      problem: 'hash_mismatch',
    });
  });

  it('a suffix rewritten with fresh hashes passes (documented limitation; anchors catch it)', () => {
    const rewritten = makeChain('case-5', [{ i: 0 }, { i: 1 }, { i: 'rewritten' }, { i: 3 }, { i: 4 }]);
    expect(verifyChain(rewritten)).toMatchObject({ ok: true, count: 5 });
    expect(rewritten[4]?.hash).not.toBe(e(5).hash);
  });

  it('detects every single tamper at the exact seq (property)', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(chainScenario, ({ caseId, payloads, pinCaseId, mutation }) => {
        const chain = makeChain(caseId, payloads);
        expect(verifyChain(chain, pinCaseId ? caseId : undefined)).toMatchObject({ ok: true });

        const { entries, expected } = tamper(chain, mutation, pinCaseId);
        const result = verifyChain(entries, pinCaseId ? caseId : undefined);
        expect(result).toMatchObject({ ok: false, brokenAt: expected.brokenAt, problem: expected.problem });
        seen.set(mutation.kind, (seen.get(mutation.kind) ?? 0) + 1);
      }),
      { numRuns: 3000 },
    );
    // Every tamper kind must actually have been exercised for the 100% claim to mean anything.
    for (const kind of ['edit', 'renumber', 'delete', 'swap', 'insert']) {
      expect(seen.get(kind) ?? 0).toBeGreaterThan(50);
    }
  });
});

describe('verifyRecordedHead', () => {
  const chain = makeChain('case-head', sequentialPayloads(5));
  const at = (seq: number) => chain[seq - 1] as AuditEntry;
  const named = (e: AuditEntry) => `${e.seq}:${e.hash}`;
  const forgedAfter = (entries: AuditEntry[], count: number): AuditEntry[] => {
    const out = [...entries];
    for (let i = 0; i < count; i++) {
      const prev = out[out.length - 1] as AuditEntry;
      out.push(
        sealEntry({
          caseId: prev.caseId,
          seq: prev.seq + 1,
          at: new Date(T0).toISOString(),
          actor: { id: 'mallory' },
          action: 'forged',
          payload: { i },
          prevHash: prev.hash,
        }),
      );
    }
    return out;
  };

  it('accepts a chain that ends at the recorded head', () => {
    expect(verifyRecordedHead(chain, { seq: 5, hash: at(5).hash })).toBeNull();
  });

  it.each([1, 2, 4])('names the first missing entry when %i entries were cut from the tail', (cut) => {
    const entries = chain.slice(0, 5 - cut);
    expect(verifyChain(entries)).toMatchObject({ ok: true });
    expect(verifyRecordedHead(entries, { seq: 5, hash: at(5).hash })).toEqual({
      brokenAt: 6 - cut,
      problem: 'tail_truncated',
      expected: named(at(5)),
      found: named(at(5 - cut)),
    });
  });

  it('reports an emptied chain as truncated at entry 1', () => {
    expect(verifyRecordedHead([], { seq: 2, hash: at(2).hash })).toEqual({
      brokenAt: 1,
      problem: 'tail_truncated',
      expected: named(at(2)),
      found: 'none',
    });
  });

  it.each([1, 3])('names the first of %i well-formed entries appended after the head', (count) => {
    const entries = forgedAfter(chain, count);
    expect(verifyChain(entries)).toMatchObject({ ok: true });
    expect(verifyRecordedHead(entries, { seq: 5, hash: at(5).hash })).toEqual({
      brokenAt: 6,
      problem: 'tail_appended',
      expected: named(at(5)),
      found: named(entries[entries.length - 1] as AuditEntry),
    });
  });

  it('names the recorded seq when the chain was rewritten up to it with fresh hashes', () => {
    const rewritten = makeChain('case-head', sequentialPayloads(5), T0 + 1000);
    expect(verifyRecordedHead(rewritten, { seq: 5, hash: at(5).hash })).toMatchObject({
      brokenAt: 5,
      problem: 'head_mismatch',
      found: named(rewritten[4] as AuditEntry),
    });
    // Cut and regrown past the head: the entry at the recorded seq is not the recorded one.
    const regrown = forgedAfter(chain.slice(0, 3), 3);
    expect(verifyRecordedHead(regrown, { seq: 5, hash: at(5).hash })).toMatchObject({
      brokenAt: 5,
      problem: 'head_mismatch',
    });
  });

  it('finds every tail cut or extension of a valid chain, and nothing in the untouched one (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: -8, max: 4 }), (n, delta) => {
        const base = makeChain('case-prop', sequentialPayloads(n));
        const head = base[n - 1] as AuditEntry;
        const entries = delta < 0 ? base.slice(0, Math.max(0, n + delta)) : forgedAfter(base, delta);
        const result = verifyRecordedHead(entries, { seq: head.seq, hash: head.hash });
        if (delta === 0) expect(result).toBeNull();
        else if (delta > 0) expect(result).toMatchObject({ brokenAt: n + 1, problem: 'tail_appended' });
        else
          expect(result).toMatchObject({ brokenAt: Math.max(0, n + delta) + 1, problem: 'tail_truncated' });
      }),
      { numRuns: 500 },
    );
  });
});

describe('merkleRoot', () => {
  const leaf = (s: string): string => sha256(s);
  const node = (l: string, r: string): string =>
    sha256(Buffer.concat([Buffer.from([1]), Buffer.from(l, 'hex'), Buffer.from(r, 'hex')]));
  const [a, b, c, d, e, f, g] = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(leaf) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];

  it('empty → sha256 of the empty string', () => {
    expect(merkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('single leaf → the leaf itself', () => {
    expect(merkleRoot([a])).toBe(a);
  });

  it.each<[string, string[], string]>([
    ['2 leaves', [a, b], node(a, b)],
    ['3 leaves (odd promoted)', [a, b, c], node(node(a, b), c)],
    ['4 leaves', [a, b, c, d], node(node(a, b), node(c, d))],
    ['5 leaves (promoted twice)', [a, b, c, d, e], node(node(node(a, b), node(c, d)), e)],
    ['6 leaves', [a, b, c, d, e, f], node(node(node(a, b), node(c, d)), node(e, f))],
    ['7 leaves', [a, b, c, d, e, f, g], node(node(node(a, b), node(c, d)), node(node(e, f), g))],
  ])('%s matches the independent construction', (_name, leaves, expected) => {
    expect(merkleRoot(leaves)).toBe(expected);
  });

  it('matches vectors computed with Python hashlib', () => {
    expect(merkleRoot([a, b])).toBe('1fdf7b651907a893865fdf1866cf251d60d527dfafa10a663514f4f9ee34ab22');
    expect(merkleRoot([a, b, c])).toBe('1394b29c3086a6150915a75bd1ab6c5dd7e461ec0c5e7d31939ae192d08eb59a');
    expect(merkleRoot([a, b, c, d, e])).toBe(
      'a35cc874099bd151fdc047602c88631c8d68ea9f6a0dde44c98672f7185fb529',
    );
  });

  it('is order-sensitive (callers sort)', () => {
    expect(merkleRoot([a, b])).not.toBe(merkleRoot([b, a]));
  });

  it('does not confuse a promoted leaf with a duplicated one', () => {
    expect(merkleRoot([a, b, c])).not.toBe(merkleRoot([a, b, c, c]));
  });

  it('changes when any leaf changes', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.string(), { minLength: 1, maxLength: 20 })
          .chain((labels) =>
            fc.record({ labels: fc.constant(labels), at: fc.integer({ min: 0, max: labels.length - 1 }) }),
          ),
        ({ labels, at }) => {
          const leaves = labels.map(leaf);
          const changed = [...leaves];
          changed[at] = flipHex(leaves[at] as string);
          expect(merkleRoot(changed)).not.toBe(merkleRoot(leaves));
        },
      ),
    );
  });

  it.each(['A'.repeat(64), 'a'.repeat(63), 'g'.repeat(64), ''])('rejects leaf %j', (bad) => {
    expect(() => merkleRoot([a, bad])).toThrow(AuditChainError);
  });
});

describe('anchors', () => {
  it('anchorLeaf is sha256(0x00 || canonical head) (vector computed with Python hashlib)', () => {
    const head: ChainHead = { seq: 3, hash: 'ab'.repeat(32), caseId: 'case-1' };
    const json = `{"caseId":"case-1","hash":"${'ab'.repeat(32)}","seq":3}`;
    expect(anchorLeaf(head)).toBe(sha256(Buffer.concat([Buffer.from([0]), Buffer.from(json)])));
    expect(anchorLeaf(head)).toBe('b05c946467a2d950336701e3829514028aa378c46d54f34f8989f2e1a3911d65');
  });

  it('anchorRoot sorts heads by caseId and rejects duplicates', () => {
    const heads: ChainHead[] = [
      { caseId: 'c', seq: 1, hash: '3'.repeat(64) },
      { caseId: 'a', seq: 2, hash: '1'.repeat(64) },
      { caseId: 'b', seq: 5, hash: '2'.repeat(64) },
    ];
    const sorted = [heads[1], heads[2], heads[0]] as ChainHead[];
    expect(anchorRoot(heads)).toBe(merkleRoot(sorted.map(anchorLeaf)));
    expect(anchorRoot([...heads].reverse())).toBe(anchorRoot(heads));
    expect(anchorRoot([])).toBe(merkleRoot([]));
    expect(() => anchorRoot([...heads, heads[0] as ChainHead])).toThrow(AuditChainError);
  });

  it('chainHeadAt finds the entry at a seq, or the last one before it', () => {
    const chain = makeChain('case-h', sequentialPayloads(4));
    expect(chainHeadAt(chain, 2)).toEqual({ caseId: 'case-h', seq: 2, hash: chain[1]?.hash });
    expect(chainHeadAt(chain, 9)).toEqual({ caseId: 'case-h', seq: 4, hash: chain[3]?.hash });
    expect(chainHeadAt([], 1)).toBeNull();
  });

  // Three cases anchored, then the world moves on.
  const stores = {
    alpha: makeChain('alpha', sequentialPayloads(4)),
    beta: makeChain('beta', sequentialPayloads(2)),
    gamma: makeChain('gamma', sequentialPayloads(6)),
  };
  const anchor: ChainHead[] = Object.entries(stores).map(([caseId, entries]) => {
    const last = entries[entries.length - 1] as AuditEntry;
    return { caseId, seq: last.seq, hash: last.hash };
  });

  // What an auditor does: verify each current chain, then look up the anchored seq.
  function currentHeadsFor(
    current: Record<string, AuditEntry[]>,
    anchored: readonly ChainHead[],
  ): ChainHead[] {
    const heads: ChainHead[] = [];
    for (const a of anchored) {
      const entries = current[a.caseId];
      if (entries === undefined) continue;
      expect(verifyChain(entries, a.caseId)).toMatchObject({ ok: true });
      const head = chainHeadAt(entries, a.seq);
      if (head !== null) heads.push(head);
    }
    return heads;
  }

  it('legitimate growth after the anchor is clean', () => {
    const grown = {
      ...stores,
      alpha: makeChain('alpha', sequentialPayloads(7)),
      delta: makeChain('delta', sequentialPayloads(1)),
    };
    expect(verifyAgainstAnchor(anchor, currentHeadsFor(grown, anchor))).toEqual({
      missing: [],
      rewritten: [],
    });
  });

  it('detects a deleted case', () => {
    const { beta: _deleted, ...rest } = stores;
    expect(verifyAgainstAnchor(anchor, currentHeadsFor(rest, anchor))).toEqual({
      missing: ['beta'],
      rewritten: [],
    });
  });

  it('detects a chain rewritten with fresh hashes that verifyChain accepts', () => {
    const payloads = sequentialPayloads(6);
    payloads[1] = { i: 'quietly changed' };
    const forged = { ...stores, gamma: makeChain('gamma', payloads) };
    expect(verifyChain(forged.gamma, 'gamma')).toMatchObject({ ok: true, count: 6 });
    expect(verifyAgainstAnchor(anchor, currentHeadsFor(forged, anchor))).toEqual({
      missing: [],
      rewritten: ['gamma'],
    });
  });

  it('detects a truncated tail, and an emptied case', () => {
    const truncated = { ...stores, alpha: stores.alpha.slice(0, 2), gamma: [] };
    expect(verifyAgainstAnchor(anchor, currentHeadsFor(truncated, anchor))).toEqual({
      missing: ['gamma'],
      rewritten: ['alpha'],
    });
  });

  it('detects truncation of any length (property)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 10 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n }))),
        ([n, cut]) => {
          const full = makeChain('t', sequentialPayloads(n));
          const kept = full.slice(0, n - cut);
          expect(verifyChain(kept, 't')).toMatchObject({ ok: true, count: n - cut });
          const head = full[n - 1] as AuditEntry;
          const anchored: ChainHead[] = [{ caseId: 't', seq: n, hash: head.hash }];
          const current = chainHeadAt(kept, n);
          const report = verifyAgainstAnchor(anchored, current === null ? [] : [current]);
          expect(report).toEqual(
            kept.length === 0 ? { missing: ['t'], rewritten: [] } : { missing: [], rewritten: ['t'] },
          );
        },
      ),
    );
  });

  it('reports sorted case lists', () => {
    const anchored: ChainHead[] = ['z', 'm', 'a', 'q'].map((caseId) => ({
      caseId,
      seq: 1,
      hash: '1'.repeat(64),
    }));
    const current: ChainHead[] = [
      { caseId: 'q', seq: 1, hash: '2'.repeat(64) },
      { caseId: 'm', seq: 1, hash: '2'.repeat(64) },
    ];
    expect(verifyAgainstAnchor(anchored, current)).toEqual({ missing: ['a', 'z'], rewritten: ['m', 'q'] });
  });

  it('rejects ambiguous input with a case listed twice', () => {
    const head: ChainHead = { caseId: 'a', seq: 1, hash: '1'.repeat(64) };
    expect(() => verifyAgainstAnchor([head, head], [])).toThrow(AuditChainError);
    expect(() => verifyAgainstAnchor([head], [head, head])).toThrow(AuditChainError);
  });
});
