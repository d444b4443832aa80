import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Actor } from '../domain/case-model.ts';
import type { Person } from '../domain/directory.ts';
import type { Bilingual } from '../domain/text.ts';
import type { AppDeps } from './deps.ts';

/**
 * Who calls: the bearer tokens Rectify issues locally and verifies in every
 * mode. The middleware that requires one is api/middleware/bearer-auth.ts.
 */

/** The authenticated caller: the directory person behind the bearer token. */
export interface Caller {
  person: Person;
  actor: Actor;
}

export type AuthEnv = { Variables: { caller: Caller } };

const ISSUER_LOCAL = 'rectify-local';

/** Issues a local HS256 token for a directory person (local mode only; `npm run token`). */
export async function issueLocalToken(
  secret: string,
  personId: string,
  ttlSeconds = 12 * 3600,
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(personId)
    .setIssuer(ISSUER_LOCAL)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

/** The signature algorithms accepted from the identity provider. */
export const PRODUCTION_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'EdDSA',
];

/** Verifies bearer tokens: HS256 with the local secret, or the identity provider's JWKS in production. */
export function tokenVerifier(
  deps: Pick<AppDeps, 'env' | 'jwtSecret'>,
): (token: string) => Promise<JWTPayload> {
  if (deps.env.RECTIFY_MODE === 'production') {
    const { JWKS_URL, JWT_ISSUER, JWT_AUDIENCE } = deps.env;
    if (!JWKS_URL || !JWT_ISSUER || !JWT_AUDIENCE) {
      throw new Error('JWKS_URL, JWT_ISSUER and JWT_AUDIENCE are required in production');
    }
    // jose caches the key set and refetches on unknown key ids.
    const jwks = createRemoteJWKSet(new URL(JWKS_URL));
    // The provider signs tokens for every application it serves: only ours, from it, are accepted.
    // Algorithms are pinned to asymmetric ones (never `none`, never an HMAC keyed by a public key),
    // and a token without an expiry or a subject is refused rather than trusted forever or for nobody.
    return async (token) =>
      (
        await jwtVerify(token, jwks, {
          issuer: JWT_ISSUER,
          audience: JWT_AUDIENCE,
          algorithms: PRODUCTION_ALGORITHMS,
          requiredClaims: ['exp', 'sub'],
        })
      ).payload;
  }
  const secret = deps.jwtSecret;
  if (!secret) throw new Error('JWT_SECRET is required in local mode');
  const key = new TextEncoder().encode(secret);
  return async (token) =>
    (
      await jwtVerify(token, key, {
        issuer: ISSUER_LOCAL,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub'],
      })
    ).payload;
}

/** Why a token was refused, in both languages (jose's own messages are English only). */
export function tokenRefusal(err: unknown): Bilingual {
  const code = (err as { code?: unknown } | null)?.code;
  const claim = (err as { claim?: unknown } | null)?.claim;
  const en = `the bearer token is not valid: ${err instanceof Error ? err.message : 'rejected'}`;
  const zh = (reason: string) => ({ zh: `令牌无效：${reason}`, en });
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return zh('已过期，请重新登录获取新令牌');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'iss') return zh('不是本系统认可的签发者签发的');
      if (claim === 'aud') return zh('不是签发给本系统的（受众不符）');
      return zh(`声明 ${typeof claim === 'string' ? claim : ''} 校验未通过`);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return zh('签名校验失败');
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return zh('找不到与之匹配的签名密钥');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return zh('签名算法不被接受');
    default:
      return zh('格式错误或无法校验');
  }
}
