import type { MiddlewareHandler } from 'hono';
import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { loadDirectory } from '../activities/directory-store.ts';
import type { Actor } from '../domain/case-model.ts';
import type { Person } from '../domain/directory.ts';
import type { AppDeps } from './deps.ts';
import { ProblemError } from './problems.ts';

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

/** Verifies bearer tokens: HS256 with the local secret, or the identity provider's JWKS in production. */
export function tokenVerifier(
  deps: Pick<AppDeps, 'env' | 'jwtSecret'>,
): (token: string) => Promise<JWTPayload> {
  if (deps.env.RECTIFY_MODE === 'production') {
    if (!deps.env.JWKS_URL) throw new Error('JWKS_URL is required in production');
    // jose caches the key set and refetches on unknown key ids.
    const jwks = createRemoteJWKSet(new URL(deps.env.JWKS_URL));
    return async (token) => (await jwtVerify(token, jwks)).payload;
  }
  const secret = deps.jwtSecret;
  if (!secret) throw new Error('JWT_SECRET is required in local mode');
  const key = new TextEncoder().encode(secret);
  return async (token) =>
    (await jwtVerify(token, key, { issuer: ISSUER_LOCAL, algorithms: ['HS256'] })).payload;
}

/** Requires `Authorization: Bearer <JWT>` naming a person of the loaded directory; sets `caller`. */
export function authenticate(deps: AppDeps): MiddlewareHandler<AuthEnv> {
  const verify = tokenVerifier(deps);
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m?.[1])
      throw new ProblemError(
        'unauthenticated',
        'send Authorization: Bearer <token> (locally: npm run token -- <personId>)',
      );
    let payload: JWTPayload;
    try {
      payload = await verify(m[1]);
    } catch (err) {
      throw new ProblemError(
        'unauthenticated',
        `the bearer token is not valid: ${err instanceof Error ? err.message : 'rejected'}`,
      );
    }
    const dir = await loadDirectory(deps.aws.ddb, deps.aws.tables);
    const person = dir?.people.find((p) => p.id === payload.sub);
    if (!person)
      throw new ProblemError(
        'unauthenticated',
        `the token's subject ${payload.sub ?? '(none)'} is not in the campus directory`,
      );
    c.set('caller', { person, actor: { id: person.id, roles: person.roles, via: 'api' } });
    await next();
  };
}

/** Refuses callers without one of the roles, naming the rule. */
export function requireRole(caller: Caller, roles: Person['roles'], rule: string): void {
  if (!caller.person.roles.some((r) => roles.includes(r))) {
    throw new ProblemError('forbidden', `${rule} (needs one of: ${roles.join(', ')})`);
  }
}
