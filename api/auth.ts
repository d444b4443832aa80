import type { MiddlewareHandler } from 'hono';
import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Actor } from '../domain/case-model.ts';
import type { Person, Role } from '../domain/directory.ts';
import { directoryOrFail } from './case-source.ts';
import type { AppDeps } from './deps.ts';
import { ProblemError, type LocalText } from './problems.ts';

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
    const { JWKS_URL, JWT_ISSUER, JWT_AUDIENCE } = deps.env;
    if (!JWKS_URL || !JWT_ISSUER || !JWT_AUDIENCE) {
      throw new Error('JWKS_URL, JWT_ISSUER and JWT_AUDIENCE are required in production');
    }
    // jose caches the key set and refetches on unknown key ids.
    const jwks = createRemoteJWKSet(new URL(JWKS_URL));
    // The provider signs tokens for every application it serves: only ours, from it, are accepted.
    return async (token) =>
      (await jwtVerify(token, jwks, { issuer: JWT_ISSUER, audience: JWT_AUDIENCE })).payload;
  }
  const secret = deps.jwtSecret;
  if (!secret) throw new Error('JWT_SECRET is required in local mode');
  const key = new TextEncoder().encode(secret);
  return async (token) =>
    (await jwtVerify(token, key, { issuer: ISSUER_LOCAL, algorithms: ['HS256'] })).payload;
}

/** Why a token was refused, in both languages (jose's own messages are English only). */
function tokenRefusal(err: unknown): LocalText {
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

/** Requires `Authorization: Bearer <JWT>` naming a person of the loaded directory; sets `caller`. */
export function authenticate(deps: AppDeps): MiddlewareHandler<AuthEnv> {
  const verify = tokenVerifier(deps);
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m?.[1])
      throw new ProblemError('unauthenticated', {
        zh: '请在请求头中携带 Authorization: Bearer <令牌>（本地开发：npm run token -- <personId>）',
        en: 'send Authorization: Bearer <token> (locally: npm run token -- <personId>)',
      });
    let payload: JWTPayload;
    try {
      payload = await verify(m[1]);
    } catch (err) {
      throw new ProblemError('unauthenticated', tokenRefusal(err));
    }
    // No directory yet is the service's state, not the caller's fault: 503, as every route says.
    const dir = await directoryOrFail(deps);
    const person = dir.people.find((p) => p.id === payload.sub);
    if (!person)
      throw new ProblemError('unauthenticated', {
        zh: `令牌的主体 ${payload.sub ?? '（无）'} 不在校园名录中`,
        en: `the token's subject ${payload.sub ?? '(none)'} is not in the campus directory`,
      });
    c.set('caller', { person, actor: { id: person.id, roles: person.roles, via: 'api' } });
    await next();
  };
}

const roleNames: Record<Role, LocalText> = {
  supervisor: { zh: '主管', en: 'supervisor' },
  staff: { zh: '员工', en: 'staff' },
  grid_member: { zh: '网格员', en: 'grid member' },
  auditor: { zh: '审计人员', en: 'auditor' },
  admin: { zh: '管理员', en: 'admin' },
  leadership: { zh: '校领导', en: 'leadership' },
  working_group: { zh: '工作小组', en: 'working group' },
  department_contact: { zh: '院系联系人', en: 'department contact' },
};

/** Refuses callers without one of the roles, naming the rule in the caller's language. */
export function requireRole(caller: Caller, roles: Role[], rule: LocalText): void {
  if (!caller.person.roles.some((r) => roles.includes(r))) {
    throw new ProblemError('forbidden', {
      zh: `${rule.zh}（须具备以下角色之一：${roles.map((r) => roleNames[r].zh).join('、')}）`,
      en: `${rule.en} (needs one of: ${roles.map((r) => roleNames[r].en).join(', ')})`,
    });
  }
}
