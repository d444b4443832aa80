import { createHash, createHmac } from 'node:crypto';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  LinkTokenError,
  MAX_TOKEN_LENGTH,
  MAX_TTL_SECONDS,
  signLinkToken,
  textHash,
  tokenFingerprint,
  verifyLinkToken,
  type LinkClaims,
  type LinkTokenErrorCode,
  type SigningKeys,
} from '../../domain/link-token.ts';

const SECRET_1 = 'k1-secret-0123456789abcdefghijklmnopq';
const SECRET_2 = 'k2-secret-zyxwvutsrqponmlkjihgfedcba98';
const SECRET_3 = 'k3-secret-AAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

const KEYS: SigningKeys = { current: 'k1', keys: { k1: SECRET_1, k2: SECRET_2 } };

const IAT = 1_714_550_400; // 2024-05-01T08:00:00Z
const HOUR = 3600;
const DAY = 24 * HOUR;

const BASE: Omit<LinkClaims, 'tid'> = {
  caseId: 'case-2024-0001',
  step: 'check',
  round: 2,
  recipientId: 'staff-42',
  action: 'approve',
  iat: IAT,
  exp: IAT + 3 * DAY,
};

// Deterministic stand-in for crypto.randomBytes that records what was asked for.
function fakeRandom(fill = 7): { fn: (n: number) => Uint8Array; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    fn: (n) => {
      calls.push(n);
      return Uint8Array.from({ length: n }, (_, i) => (fill + i * 31) & 0xff);
    },
  };
}

const b64url = (data: string | Uint8Array): string => Buffer.from(data).toString('base64url');
const hmac = (secret: string, input: string): string =>
  createHmac('sha256', secret).update(input).digest('base64url');

// Builds a correctly signed token around an arbitrary payload, independently of
// the module, to check what happens after the signature passes.
function signRaw(payload: string | Uint8Array, kid = 'k1', secret = SECRET_1): string {
  const input = `v1.${kid}.${b64url(payload)}`;
  return `${input}.${hmac(secret, input)}`;
}

function errorCode(fn: () => unknown): LinkTokenErrorCode | 'no error' {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(LinkTokenError);
    return (err as LinkTokenError).code;
  }
  return 'no error';
}

const sign = (claims: Partial<LinkClaims> = {}, keys: SigningKeys = KEYS) =>
  signLinkToken({ ...BASE, ...claims }, keys, fakeRandom().fn);

describe('signLinkToken', () => {
  it('produces v1.<kid>.<payload>.<hmac> with an independently checkable MAC', () => {
    const { token, claims } = sign();
    expect(token).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const [v, kid, payload, sig] = token.split('.') as [string, string, string, string];
    expect(sig).toBe(hmac(SECRET_1, `${v}.${kid}.${payload}`));
    // Payload is canonical JSON: keys sorted, no whitespace.
    expect(Buffer.from(payload, 'base64url').toString('utf8')).toBe(
      `{"action":"approve","caseId":"case-2024-0001","exp":${IAT + 3 * DAY},"iat":${IAT},` +
        `"recipientId":"staff-42","round":2,"step":"check","tid":"${claims.tid}"}`,
    );
  });

  it('draws the tid from randomBytes(16)', () => {
    const random = fakeRandom(3);
    const { claims } = signLinkToken(BASE, KEYS, random.fn);
    expect(random.calls).toEqual([16]);
    expect(claims.tid).toBe(b64url(Uint8Array.from({ length: 16 }, (_, i) => (3 + i * 31) & 0xff)));
    expect(Buffer.from(claims.tid, 'base64url')).toHaveLength(16);
  });

  it('uses a given tid without asking for randomness', () => {
    const random = fakeRandom();
    const tid = b64url(new Uint8Array(24).fill(9));
    const { claims } = signLinkToken({ ...BASE, tid }, KEYS, random.fn);
    expect(claims.tid).toBe(tid);
    expect(random.calls).toEqual([]);
  });

  it('does not depend on the key order of the input claims', () => {
    const reversed = Object.fromEntries(Object.entries(BASE).reverse()) as typeof BASE;
    expect(sign().token).toBe(signLinkToken(reversed, KEYS, fakeRandom().fn).token);
  });

  it('ignores extra properties on the input', () => {
    const withExtra = { ...BASE, admin: true } as typeof BASE;
    const { token, claims } = signLinkToken(withExtra, KEYS, fakeRandom().fn);
    expect(claims).not.toHaveProperty('admin');
    expect(token).toBe(sign().token);
  });

  it('signs with the current kid', () => {
    const { token } = sign({}, { current: 'k2', keys: KEYS.keys });
    expect(token.startsWith('v1.k2.')).toBe(true);
  });

  describe('7-day cap', () => {
    it('allows exactly 7 days', () => {
      expect(errorCode(() => sign({ exp: IAT + 7 * DAY }))).toBe('no error');
      expect(MAX_TTL_SECONDS).toBe(7 * DAY);
    });

    it.each([7 * DAY + 1, 30 * DAY, 10 * 365 * DAY])('rejects a ttl of %i seconds', (ttl) => {
      expect(errorCode(() => sign({ exp: IAT + ttl }))).toBe('ttl_exceeded');
    });

    it.each([0, -1])('rejects exp - iat = %i', (ttl) => {
      expect(errorCode(() => sign({ exp: IAT + ttl }))).toBe('invalid_claims');
    });
  });

  describe('nonce of at least 128 bits', () => {
    it.each([
      ['15 bytes', b64url(new Uint8Array(15))],
      ['empty', ''],
      ['not base64url', '++++++++++++++++++++++'],
      ['padded', `${b64url(new Uint8Array(16))}==`],
      // 'AAAAAAAAAAAAAAAAAAAAAB' decodes to the same 16 bytes as '...AA': an alias, not canonical.
      ['non-canonical base64url', 'AAAAAAAAAAAAAAAAAAAAAB'],
    ])('rejects a given tid that is %s', (_name, tid) => {
      expect(errorCode(() => signLinkToken({ ...BASE, tid }, KEYS, fakeRandom().fn))).toBe('invalid_claims');
    });

    it.each([16, 32])('accepts a given tid of %i bytes', (n) => {
      expect(
        errorCode(() => signLinkToken({ ...BASE, tid: b64url(new Uint8Array(n)) }, KEYS, fakeRandom().fn)),
      ).toBe('no error');
    });

    it('rejects a randomness source that returns too few bytes', () => {
      expect(errorCode(() => signLinkToken(BASE, KEYS, () => new Uint8Array(15)))).toBe('invalid_argument');
    });

    it('generated nonces are >= 128 bits for any random bytes', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
          const { claims } = signLinkToken(BASE, KEYS, () => bytes);
          expect(Buffer.from(claims.tid, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
          expect(Buffer.from(claims.tid, 'base64url')).toEqual(Buffer.from(bytes));
        }),
      );
    });
  });

  it.each<[string, Partial<LinkClaims>]>([
    ['empty caseId', { caseId: '' }],
    ['empty step', { step: '' }],
    ['empty recipientId', { recipientId: '' }],
    ['empty action', { action: '' }],
    ['negative round', { round: -1 }],
    ['fractional round', { round: 1.5 }],
    ['NaN iat', { iat: NaN }],
    ['negative iat', { iat: -10, exp: 10 }],
    ['fractional exp', { exp: IAT + 0.5 }],
    ['non-string caseId', { caseId: 7 as unknown as string }],
  ])('rejects %s', (_name, patch) => {
    expect(errorCode(() => sign(patch))).toBe('invalid_claims');
  });

  it('refuses to sign a token verifyLinkToken would reject as too long', () => {
    expect(errorCode(() => sign({ caseId: 'c'.repeat(MAX_TOKEN_LENGTH) }))).toBe('invalid_claims');
  });

  it.each<[string, SigningKeys]>([
    ['a secret shorter than 32 chars', { current: 'k1', keys: { k1: 'x'.repeat(31) } }],
    ['a short secret on a non-current kid', { current: 'k1', keys: { k1: SECRET_1, old: 'short' } }],
    ['current kid missing from keys', { current: 'k9', keys: { k1: SECRET_1 } }],
    ['a kid containing a dot', { current: 'k.1', keys: { 'k.1': SECRET_1 } }],
    ['an empty kid', { current: '', keys: { '': SECRET_1 } }],
    ['no keys', { current: 'k1', keys: {} }],
  ])('rejects keys with %s', (_name, keys) => {
    expect(errorCode(() => sign({}, keys))).toBe('invalid_keys');
  });
});

const claimsArb: fc.Arbitrary<LinkClaims> = fc
  .record({
    nonce: fc.uint8Array({ minLength: 16, maxLength: 32 }),
    caseId: fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }),
    step: fc.string({ minLength: 1, maxLength: 20 }),
    round: fc.nat({ max: 1000 }),
    recipientId: fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }),
    action: fc.string({ minLength: 1, maxLength: 20 }),
    iat: fc.integer({ min: 0, max: 4_000_000_000 }),
    ttl: fc.integer({ min: 1, max: MAX_TTL_SECONDS }),
  })
  .map(({ nonce, ttl, ...rest }) => ({ ...rest, tid: b64url(nonce), exp: rest.iat + ttl }));

describe('verifyLinkToken', () => {
  it('round trip: a signed token verifies to the same claims at any time before exp', () => {
    fc.assert(
      fc.property(claimsArb, fc.double({ min: 0, max: 1, noNaN: true }), (input, at) => {
        const { token, claims } = signLinkToken(input, KEYS, fakeRandom().fn);
        expect(claims).toEqual(input);
        const now = Math.min(input.iat + Math.floor(at * (input.exp - input.iat)), input.exp - 1);
        expect(verifyLinkToken(token, KEYS, now)).toEqual({ ok: true, claims: input });
      }),
      { numRuns: 300 },
    );
  });

  describe('expiry boundary', () => {
    const { token, claims } = sign();
    it.each<[string, number, boolean]>([
      ['at iat', IAT, true],
      ['before iat (clock skew is not our call)', IAT - HOUR, true],
      ['one second before exp', BASE.exp - 1, true],
      ['fractional second before exp', BASE.exp - 0.001, true],
      ['exactly at exp', BASE.exp, false],
      ['one second after exp', BASE.exp + 1, false],
      ['a year later', BASE.exp + 365 * DAY, false],
    ])('%s', (_name, now, valid) => {
      expect(verifyLinkToken(token, KEYS, now)).toEqual(
        valid ? { ok: true, claims } : { ok: false, reason: 'expired' },
      );
    });

    it('checks the signature before expiry: an expired forgery is forged', () => {
      const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      expect(verifyLinkToken(forged, KEYS, BASE.exp + 1)).toEqual({ ok: false, reason: 'forged' });
    });

    it.each([NaN, Infinity, -Infinity])('refuses to evaluate with now = %s', (now) => {
      expect(errorCode(() => verifyLinkToken(token, KEYS, now))).toBe('invalid_argument');
    });
  });

  describe('keys', () => {
    const now = IAT + HOUR;

    it('wrong secret under the same kid → forged', () => {
      const { token } = sign();
      expect(verifyLinkToken(token, { current: 'k1', keys: { k1: SECRET_3 } }, now)).toEqual({
        ok: false,
        reason: 'forged',
      });
    });

    it('kid not in keys → unknown_key', () => {
      const { token } = sign({}, { current: 'k3', keys: { k3: SECRET_3 } });
      expect(verifyLinkToken(token, KEYS, now)).toEqual({ ok: false, reason: 'unknown_key' });
    });

    it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
      'kid %s is looked up as an own key only',
      (kid) => {
        const token = signRaw('{}', kid, SECRET_1);
        expect(verifyLinkToken(token, KEYS, now)).toEqual({ ok: false, reason: 'unknown_key' });
      },
    );

    it('relabelling a token with another valid kid → forged', () => {
      const { token } = sign();
      expect(verifyLinkToken(token.replace(/^v1\.k1\./, 'v1.k2.'), KEYS, now)).toEqual({
        ok: false,
        reason: 'forged',
      });
    });

    it('rotation: old kid verifies while present, not after retirement', () => {
      const before: SigningKeys = { current: 'k1', keys: { k1: SECRET_1 } };
      const rotated: SigningKeys = { current: 'k2', keys: { k1: SECRET_1, k2: SECRET_2 } };
      const retired: SigningKeys = { current: 'k2', keys: { k2: SECRET_2 } };

      const old = sign({}, before);
      const fresh = sign({}, rotated);
      expect(fresh.token.startsWith('v1.k2.')).toBe(true);

      expect(verifyLinkToken(old.token, rotated, now)).toEqual({ ok: true, claims: old.claims });
      expect(verifyLinkToken(fresh.token, rotated, now)).toEqual({ ok: true, claims: fresh.claims });

      expect(verifyLinkToken(old.token, retired, now)).toEqual({ ok: false, reason: 'unknown_key' });
      expect(verifyLinkToken(fresh.token, retired, now)).toEqual({ ok: true, claims: fresh.claims });

      // A token from the new key must not verify under the old key set either.
      expect(verifyLinkToken(fresh.token, before, now)).toEqual({ ok: false, reason: 'unknown_key' });
    });

    it('a misconfigured key set throws instead of quietly verifying', () => {
      const { token } = sign();
      expect(errorCode(() => verifyLinkToken(token, { current: 'k1', keys: { k1: 'short' } }, now))).toBe(
        'invalid_keys',
      );
    });
  });

  describe('single-character tampering', () => {
    const B64URL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const REPLACEMENTS = [...B64URL_CHARS, '.', '=', '+', '/', ' ', '%', 'é', '\0'];
    const TAMPER_KEYS: SigningKeys = { current: 'k1', keys: { k1: SECRET_1, k2: SECRET_2, kX: SECRET_3 } };
    const now = IAT + HOUR;

    // What a replacement at `pos` must produce: format breakers are malformed,
    // anything still well-formed must fail the kid lookup or the MAC.
    function expectedReason(token: string, pos: number, ch: string): string {
      const tampered = token.slice(0, pos) + ch + token.slice(pos + 1);
      const parts = tampered.split('.');
      if (parts.length !== 4) return 'malformed';
      const [version, kid, payload, sig] = parts as [string, string, string, string];
      if (version !== 'v1' || !/^[A-Za-z0-9_-]{1,64}$/.test(kid) || !/^[A-Za-z0-9_-]+$/.test(payload)) {
        return 'malformed';
      }
      if (!/^[A-Za-z0-9_-]{43}$/.test(sig)) return 'malformed';
      if (!Object.hasOwn(TAMPER_KEYS.keys, kid)) return 'unknown_key';
      return 'forged';
    }

    it('rejects every replacement at every position of a token (exhaustive)', () => {
      const { token } = sign({}, TAMPER_KEYS);
      const reasons = new Map<string, number>();
      for (let pos = 0; pos < token.length; pos++) {
        for (const ch of REPLACEMENTS) {
          if (ch === token[pos]) continue;
          const tampered = token.slice(0, pos) + ch + token.slice(pos + 1);
          const result = verifyLinkToken(tampered, TAMPER_KEYS, now);
          const want = expectedReason(token, pos, ch);
          if (!(result.ok === false && result.reason === want)) {
            throw new Error(`pos ${pos} '${ch}': got ${JSON.stringify(result)}, want ${want}`);
          }
          reasons.set(want, (reasons.get(want) ?? 0) + 1);
        }
      }
      // Each outcome class was actually reached, including kid k1→k2 (forged) and k1→k3 (unknown).
      expect([...reasons.keys()].sort()).toEqual(['forged', 'malformed', 'unknown_key']);
    });

    it('rejects any single-character replacement, insertion or deletion (property)', () => {
      fc.assert(
        fc.property(
          claimsArb,
          fc.nat(),
          fc.constantFrom(...REPLACEMENTS),
          fc.constantFrom('replace' as const, 'insert' as const, 'delete' as const),
          (claims, rawPos, ch, op) => {
            const { token } = signLinkToken(claims, TAMPER_KEYS, fakeRandom().fn);
            const pos = rawPos % token.length;
            const tampered =
              op === 'replace'
                ? token.slice(0, pos) + ch + token.slice(pos + 1)
                : op === 'insert'
                  ? token.slice(0, pos) + ch + token.slice(pos)
                  : token.slice(0, pos) + token.slice(pos + 1);
            fc.pre(tampered !== token);
            const result = verifyLinkToken(tampered, TAMPER_KEYS, claims.iat);
            expect(result.ok).toBe(false);
            if (op === 'replace') {
              expect(result).toEqual({ ok: false, reason: expectedReason(token, pos, ch) });
            }
          },
        ),
        { numRuns: 2000 },
      );
    });

    it('a signature differing only in base64 padding bits is rejected', () => {
      // The last of 43 chars carries 4 meaningful bits; flipping a low bit leaves
      // the decoded bytes unchanged, which a byte-level comparison would accept.
      const { token } = sign();
      const last = token[token.length - 1] as string;
      const idx = B64URL_CHARS.indexOf(last);
      const alias = B64URL_CHARS[idx ^ 1] as string;
      const tampered = token.slice(0, -1) + alias;
      expect(Buffer.from(tampered.split('.')[3] as string, 'base64url')).toEqual(
        Buffer.from(token.split('.')[3] as string, 'base64url'),
      );
      expect(verifyLinkToken(tampered, KEYS, now)).toEqual({ ok: false, reason: 'forged' });
    });
  });

  describe('malformed input', () => {
    const now = IAT + HOUR;
    const { token } = sign();
    const [, , payload, sig] = token.split('.') as [string, string, string, string];
    const validClaims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const withClaims = (patch: Record<string, unknown>): string =>
      signRaw(JSON.stringify({ ...validClaims, ...patch }));
    const without = (field: string): string => {
      const { [field]: _dropped, ...rest } = validClaims;
      return signRaw(JSON.stringify(rest));
    };

    it.each<[string, string]>([
      ['empty string', ''],
      ['a single segment', 'v1'],
      ['three segments', `v1.k1.${payload}`],
      ['too many dots', `${token}.extra`],
      ['trailing dot', `${token}.`],
      ['only dots', '...'],
      ['wrong version', token.replace(/^v1\./, 'v2.')],
      ['uppercase version', token.replace(/^v1\./, 'V1.')],
      ['missing version', token.replace(/^v1\./, '.')],
      ['empty kid', `v1..${payload}.${sig}`],
      ['kid with invalid characters', `v1.k!.${payload}.${sig}`],
      ['kid longer than 64 chars', `v1.${'k'.repeat(65)}.${payload}.${sig}`],
      ['empty payload', `v1.k1..${sig}`],
      ['bad base64 in payload', `v1.k1.${payload.slice(0, 4)}+/=${payload.slice(7)}.${sig}`],
      ['standard base64 payload with padding', `v1.k1.${Buffer.from('{}').toString('base64')}.${sig}`],
      ['empty signature', `v1.k1.${payload}.`],
      ['signature too short', token.slice(0, -1)],
      ['signature too long', `${token}A`],
      ['bad base64 in signature', `v1.k1.${payload}.${sig.slice(0, -1)}+`],
      ['surrounding whitespace', ` ${token} `],
    ])('structure: %s', (_name, bad) => {
      expect(verifyLinkToken(bad, KEYS, now)).toEqual({ ok: false, reason: 'malformed' });
    });

    it.each<[string, string]>([
      ['non-JSON payload', signRaw('not json')],
      ['truncated JSON', signRaw('{"tid":')],
      ['invalid UTF-8', signRaw(Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]))],
      ['JSON null', signRaw('null')],
      ['JSON array', signRaw('[]')],
      ['JSON number', signRaw('42')],
      ['JSON string', signRaw('"claims"')],
      ['empty object', signRaw('{}')],
      ['an extra claim', withClaims({ admin: true })],
      [
        'a __proto__ claim',
        signRaw(JSON.stringify(validClaims).replace(/^\{/, '{"__proto__":{"admin":true},')),
      ],
      ['round as a string', withClaims({ round: '2' })],
      ['iat as a string', withClaims({ iat: String(IAT) })],
      ['caseId as a number', withClaims({ caseId: 1 })],
      ['null action', withClaims({ action: null })],
      ['empty caseId', withClaims({ caseId: '' })],
      ['negative round', withClaims({ round: -1 })],
      ['fractional exp', withClaims({ exp: IAT + HOUR + 0.5 })],
      ['exp before iat', withClaims({ exp: IAT - 1 })],
      ['ttl over 7 days', withClaims({ exp: IAT + 7 * DAY + 1 })],
      ['tid under 128 bits', withClaims({ tid: b64url(new Uint8Array(15)) })],
      ['tid not base64url', withClaims({ tid: 'not a nonce!' })],
    ])('validly signed but %s', (_name, bad) => {
      expect(verifyLinkToken(bad, KEYS, now)).toEqual({ ok: false, reason: 'malformed' });
    });

    it.each(['tid', 'caseId', 'step', 'round', 'recipientId', 'action', 'iat', 'exp'])(
      'validly signed but missing %s',
      (field) => {
        expect(verifyLinkToken(without(field), KEYS, now)).toEqual({ ok: false, reason: 'malformed' });
      },
    );

    it('over MAX_TOKEN_LENGTH, even when validly signed', () => {
      const long = withClaims({ caseId: 'c'.repeat(MAX_TOKEN_LENGTH) });
      expect(verifyLinkToken(long, KEYS, now)).toEqual({ ok: false, reason: 'malformed' });
      // Just under the limit still verifies, so the cap is what rejected it.
      const pad = MAX_TOKEN_LENGTH - withClaims({ caseId: '' }).length;
      const fits = withClaims({ caseId: 'c'.repeat(Math.floor((pad * 3) / 4)) });
      expect(fits.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
      expect(verifyLinkToken(fits, KEYS, now)).toMatchObject({ ok: true });
    });

    it('the signRaw helper itself produces tokens that verify', () => {
      expect(verifyLinkToken(withClaims({}), KEYS, now)).toEqual({ ok: true, claims: validClaims });
    });

    it('never throws on arbitrary strings', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (s) => {
          const result = verifyLinkToken(s, KEYS, now);
          expect(result.ok).toBe(false);
        }),
        { numRuns: 1000 },
      );
    });
  });
});

describe('tokenFingerprint', () => {
  it('is sha256 hex of the token', () => {
    expect(tokenFingerprint('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const { token } = sign();
    expect(tokenFingerprint(token)).toBe(createHash('sha256').update(token).digest('hex'));
  });

  it('does not reveal the token and differs per token', () => {
    const a = sign().token;
    const b = signLinkToken(BASE, KEYS, fakeRandom(99).fn).token;
    expect(tokenFingerprint(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenFingerprint(a)).not.toContain(a.split('.')[3] as string);
    expect(tokenFingerprint(a)).not.toBe(tokenFingerprint(b));
    expect(tokenFingerprint(a)).toBe(tokenFingerprint(a));
  });
});

describe('textHash', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ])('sha256(%j)', (text, hex) => {
    expect(textHash(text)).toBe(hex);
  });

  it('hashes UTF-8 bytes of the exact text', () => {
    const statement = '本人确认宿舍 3-402 的整改已完成。';
    expect(textHash(statement)).toBe(
      createHash('sha256').update(Buffer.from(statement, 'utf8')).digest('hex'),
    );
  });

  it('does not normalise: visually equal NFC and NFD texts hash differently', () => {
    const nfc = 'café'.normalize('NFC');
    const nfd = 'café'.normalize('NFD');
    expect(textHash(nfc)).not.toBe(textHash(nfd));
  });
});
