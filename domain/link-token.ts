/**
 * Signed one-click action links sent by email.
 *
 * Token format: `v1.<kid>.<base64url(canonical JSON claims)>.<base64url(HMAC-SHA256)>`
 * where the MAC covers the literal text `v1.<kid>.<payload>`. Binding the kid
 * into the MAC means re-labelling a token with another kid cannot verify.
 *
 * Pure module: callers pass the clock and the randomness source.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import { canonicalJson } from './hash-chain.ts';

export interface LinkClaims {
  /** Token id = the nonce: base64url of >= 16 random bytes. */
  tid: string;
  caseId: string;
  step: string;
  round: number;
  recipientId: string;
  action: string;
  /** Unix seconds. */
  iat: number;
  /** Unix seconds; the token is valid while now < exp. */
  exp: number;
}

export interface SigningKeys {
  /** kid used to sign new tokens; must be present in `keys`. */
  current: string;
  /** kid -> secret (>= 32 chars). A kid keeps verifying until it is removed from here. */
  keys: Record<string, string>;
}

export type LinkTokenErrorCode = 'ttl_exceeded' | 'invalid_claims' | 'invalid_keys' | 'invalid_argument';

export class LinkTokenError extends Error {
  override readonly name = 'LinkTokenError';
  readonly code: LinkTokenErrorCode;

  constructor(code: LinkTokenErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export type VerifyFailure = 'malformed' | 'unknown_key' | 'forged' | 'expired';

export type VerifyLinkResult = { ok: true; claims: LinkClaims } | { ok: false; reason: VerifyFailure };

export const MAX_TTL_SECONDS = 7 * 24 * 60 * 60;
export const NONCE_BYTES = 16;
export const MIN_SECRET_LENGTH = 32;
// Generous for the claims we carry, but bounds the work an attacker can make us do per request.
export const MAX_TOKEN_LENGTH = 2048;

const VERSION = 'v1';
const KID = /^[A-Za-z0-9_-]{1,64}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;
// base64url of a 32-byte HMAC-SHA256 without padding.
const SIG_LENGTH = 43;
const CLAIM_KEYS: readonly (keyof LinkClaims)[] = [
  'tid',
  'caseId',
  'step',
  'round',
  'recipientId',
  'action',
  'iat',
  'exp',
];

/**
 * Signs claims with `keys.current`. Generates `tid` from randomBytes(16) unless
 * given. Throws LinkTokenError: `ttl_exceeded` when exp - iat > 7 days,
 * `invalid_claims` for any other bad claim, `invalid_keys` for a bad key set,
 * `invalid_argument` when randomBytes does not return 16 bytes.
 * Also `invalid_claims` when the token would exceed MAX_TOKEN_LENGTH.
 */
export function signLinkToken(
  claims: Omit<LinkClaims, 'tid'> & { tid?: string },
  keys: SigningKeys,
  randomBytes: (n: number) => Uint8Array,
): { token: string; claims: LinkClaims } {
  assertKeys(keys);
  let tid = claims.tid;
  if (tid === undefined) {
    const nonce = randomBytes(NONCE_BYTES);
    if (!(nonce instanceof Uint8Array) || nonce.length !== NONCE_BYTES) {
      throw new LinkTokenError(
        'invalid_argument',
        `randomBytes(${NONCE_BYTES}) must return ${NONCE_BYTES} bytes`,
      );
    }
    tid = Buffer.from(nonce).toString('base64url');
  }
  // Copy field by field so extra properties on the input never reach the token.
  const full: LinkClaims = {
    tid,
    caseId: claims.caseId,
    step: claims.step,
    round: claims.round,
    recipientId: claims.recipientId,
    action: claims.action,
    iat: claims.iat,
    exp: claims.exp,
  };
  const problem = claimsProblem(full);
  if (problem !== null) throw new LinkTokenError(problem.code, problem.message);

  const kid = keys.current;
  const payload = Buffer.from(canonicalJson(full), 'utf8').toString('base64url');
  const signingInput = `${VERSION}.${kid}.${payload}`;
  const secret = keys.keys[kid] as string;
  const token = `${signingInput}.${mac(secret, signingInput)}`;
  // verifyLinkToken refuses longer tokens; never email a link that cannot work.
  if (token.length > MAX_TOKEN_LENGTH) {
    throw new LinkTokenError('invalid_claims', `token would exceed ${MAX_TOKEN_LENGTH} chars`);
  }
  return { token, claims: full };
}

/**
 * Checks a token. Order matters: structure → kid → signature → claims → expiry,
 * so nothing attacker-controlled is parsed before the MAC checks out, and an
 * expired forgery reports `forged`, not `expired`.
 *
 * - malformed: not four non-empty dot-separated base64url-ish segments with
 *   version v1, too long, or a correctly signed payload that is not valid claims.
 * - unknown_key: kid not in `keys` (never issued, or retired).
 * - forged: MAC mismatch (payload, kid or signature altered, or wrong secret).
 * - expired: nowSeconds >= exp.
 *
 * Throws LinkTokenError for caller mistakes (bad key set, non-finite clock),
 * which are configuration bugs, not properties of the token.
 */
export function verifyLinkToken(token: string, keys: SigningKeys, nowSeconds: number): VerifyLinkResult {
  assertKeys(keys);
  if (!Number.isFinite(nowSeconds)) {
    // NaN would make every expiry comparison false and accept expired tokens.
    throw new LinkTokenError('invalid_argument', 'nowSeconds must be a finite number');
  }
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return fail('malformed');
  const parts = token.split('.');
  if (parts.length !== 4) return fail('malformed');
  const [version, kid, payload, signature] = parts as [string, string, string, string];
  if (version !== VERSION || !KID.test(kid) || !B64URL.test(payload)) return fail('malformed');
  if (signature.length !== SIG_LENGTH || !B64URL.test(signature)) return fail('malformed');

  if (!Object.hasOwn(keys.keys, kid)) return fail('unknown_key');
  const secret = keys.keys[kid] as string;

  // Compare the encoded strings rather than decoded bytes: base64url has
  // several spellings of the same final byte, and accepting them would let a
  // one-character edit of the signature still verify.
  const expected = Buffer.from(mac(secret, `${VERSION}.${kid}.${payload}`), 'ascii');
  const provided = Buffer.from(signature, 'ascii');
  if (expected.length !== provided.length || !timingSafeEqual(expected, provided)) return fail('forged');

  const claims = parseClaims(payload);
  if (claims === null) return fail('malformed');
  if (nowSeconds >= claims.exp) return fail('expired');
  return { ok: true, claims };
}

/** sha256 hex of the token: what the store keeps, so reading the DB does not yield usable links. */
export function tokenFingerprint(token: string): string {
  return sha256Hex(token);
}

/**
 * sha256 hex of the UTF-8 text, unnormalised: hash exactly the string that was
 * rendered to the signer, since Unicode normalisation could equate texts that
 * looked different.
 */
export function textHash(text: string): string {
  return sha256Hex(text);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function mac(secret: string, signingInput: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(signingInput, 'utf8').digest('base64url');
}

function fail(reason: VerifyFailure): VerifyLinkResult {
  return { ok: false, reason };
}

function assertKeys(keys: SigningKeys): void {
  if (typeof keys !== 'object' || keys === null || typeof keys.keys !== 'object' || keys.keys === null) {
    throw new LinkTokenError('invalid_keys', 'keys must be { current, keys }');
  }
  for (const [kid, secret] of Object.entries(keys.keys)) {
    // '.' would break the token format; keep kids URL-safe.
    if (!KID.test(kid)) throw new LinkTokenError('invalid_keys', `kid must match ${KID}: ${kid}`);
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
      throw new LinkTokenError('invalid_keys', `secret for kid ${kid} must be >= ${MIN_SECRET_LENGTH} chars`);
    }
  }
  if (typeof keys.current !== 'string' || !Object.hasOwn(keys.keys, keys.current)) {
    throw new LinkTokenError('invalid_keys', 'current kid must be present in keys');
  }
}

function parseClaims(payload: string): LinkClaims | null {
  let value: unknown;
  try {
    // fatal: invalid UTF-8 must not be papered over with U+FFFD.
    const json = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(payload, 'base64url'));
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length !== CLAIM_KEYS.length || !CLAIM_KEYS.every((k) => Object.hasOwn(record, k))) return null;
  const { tid, caseId, step, round, recipientId, action, iat, exp } = record;
  if (
    typeof tid !== 'string' ||
    typeof caseId !== 'string' ||
    typeof step !== 'string' ||
    typeof round !== 'number' ||
    typeof recipientId !== 'string' ||
    typeof action !== 'string' ||
    typeof iat !== 'number' ||
    typeof exp !== 'number'
  ) {
    return null;
  }
  const claims: LinkClaims = { tid, caseId, step, round, recipientId, action, iat, exp };
  // Re-check the signer's invariants too: a token that breaks them was not
  // produced by signLinkToken, whatever its MAC says.
  return claimsProblem(claims) === null ? claims : null;
}

interface ClaimsProblem {
  code: 'ttl_exceeded' | 'invalid_claims';
  message: string;
}

function claimsProblem(c: LinkClaims): ClaimsProblem | null {
  const invalid = (message: string): ClaimsProblem => ({ code: 'invalid_claims', message });
  if (typeof c.tid !== 'string' || !B64URL.test(c.tid)) return invalid('tid must be base64url');
  const nonce = Buffer.from(c.tid, 'base64url');
  if (nonce.toString('base64url') !== c.tid) return invalid('tid must be canonical base64url');
  if (nonce.length < NONCE_BYTES) return invalid(`tid must encode >= ${NONCE_BYTES} bytes`);
  for (const field of ['caseId', 'step', 'recipientId', 'action'] as const) {
    const v: unknown = c[field];
    if (typeof v !== 'string' || v === '') return invalid(`${field} must be a non-empty string`);
  }
  if (!Number.isSafeInteger(c.round) || c.round < 0) return invalid('round must be a non-negative integer');
  if (!Number.isSafeInteger(c.iat) || c.iat < 0) {
    return invalid('iat must be a non-negative integer (unix seconds)');
  }
  if (!Number.isSafeInteger(c.exp)) return invalid('exp must be an integer (unix seconds)');
  if (c.exp <= c.iat) return invalid('exp must be after iat');
  if (c.exp - c.iat > MAX_TTL_SECONDS) {
    return { code: 'ttl_exceeded', message: `exp - iat must be <= ${MAX_TTL_SECONDS}s (7 days)` };
  }
  return null;
}
