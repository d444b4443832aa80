import type { MiddlewareHandler } from 'hono';
import type { JWTPayload } from 'jose';
import { roleNames, type Role } from '../../domain/directory.ts';
import type { Bilingual } from '../../domain/text.ts';
import { tokenRefusal, tokenVerifier, type AuthEnv, type Caller } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { directoryOrFail } from '../reads.ts';
import { ProblemError } from './problems.ts';

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

/** Refuses callers without one of the roles, naming the rule in the caller's language. */
export function requireRole(caller: Caller, roles: Role[], rule: Bilingual): void {
  if (!caller.person.roles.some((r) => roles.includes(r))) {
    throw new ProblemError('forbidden', {
      zh: `${rule.zh}（须具备以下角色之一：${roles.map((r) => roleNames[r].zh).join('、')}）`,
      en: `${rule.en} (needs one of: ${roles.map((r) => roleNames[r].en).join(', ')})`,
    });
  }
}
