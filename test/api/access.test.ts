import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { issueLocalToken } from '../../api/auth.ts';
import {
  caseListSchema,
  caseViewSchema,
  createdCaseSchema,
  problemSchema,
  type CaseSummary,
} from '../../api/schemas.ts';
import { parseEnv } from '../../infra/config.ts';
import { testEnv } from '../support/stack.ts';
import { call, newCaseBody, startApiStack, type ApiStack } from './harness.ts';

let s: ApiStack;
let since: string;
/** A case in bldg-a, room A101, assigned to staff-zhou, opened by sup-wang. */
let caseA: string;
beforeAll(async () => {
  s = await startApiStack();
  since = new Date(Date.now() - 1000).toISOString();
  const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
  caseA = createdCaseSchema.parse(await res.json()).caseId;
});
afterAll(async () => {
  await s?.stop();
});

const A101 = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
const A106 = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A106' };
const A206 = { buildingId: 'bldg-a', floorId: 'a-f2', roomId: 'A206' };
const B101 = { buildingId: 'bldg-b', floorId: 'b-f1', roomId: 'B101' };
const BLDG_A = { buildingId: 'bldg-a' };
const FLOOR_A1 = { buildingId: 'bldg-a', floorId: 'a-f1' };
const FLOOR_A2 = { buildingId: 'bldg-a', floorId: 'a-f2' };

async function expectProblem(res: Response, status: number, detail?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const p = problemSchema.parse(await res.json());
  if (detail) expect(p.detail).toMatch(detail);
  return p;
}

describe('who may open a case', () => {
  it.each([
    ['sup-wang', A101, 201, 'supervisor of bldg-a'],
    ['sup-wang', B101, 403, 'supervisor outside their buildings'],
    ['sup-li', B101, 201, 'supervisor of bldg-b'],
    ['grid-a1c1', A101, 201, 'level-3 grid member in their cluster'],
    ['grid-a1c1', A106, 403, 'level-3 grid member outside their cluster'],
    ['grid-a1', A206, 201, 'level-1 grid member anywhere in their building'],
    ['grid-a1', BLDG_A, 201, 'level-1 grid member at their building without a floor'],
    ['grid-a1f', FLOOR_A1, 201, 'level-2 grid member on their floor'],
    ['grid-a1f', A101, 201, 'level-2 grid member in a room on their floor'],
    ['grid-a1f', FLOOR_A2, 403, 'level-2 grid member on another floor'],
    ['grid-a1f', BLDG_A, 403, 'level-2 grid member at a place vaguer than their floor'],
    ['grid-a1c1', FLOOR_A2, 403, 'level-3 grid member on another floor without a room'],
    ['grid-a1c1', FLOOR_A1, 403, 'level-3 grid member on their own floor without a room'],
    ['grid-a1c1', BLDG_A, 403, 'level-3 grid member at a place vaguer than their cluster'],
    ['grid-b1', A101, 403, 'grid member of another building'],
    ['wg-chen', B101, 201, 'working group anywhere'],
    ['admin-xu', A101, 201, 'admin anywhere'],
    ['staff-zhou', A101, 403, 'staff never'],
    ['audit-he', A101, 403, 'auditors never'],
    ['lead-huang', A101, 403, 'leadership does not open cases'],
    ['dept-cs', A101, 403, 'department contacts do not open cases'],
  ] as const)('%s at %o → %i (%s)', async (who, location, status, _why) => {
    const res = await call(s.app, 'POST', '/api/cases', { as: who, body: newCaseBody({ location }) });
    if (status === 201) {
      expect(res.status).toBe(201);
      createdCaseSchema.parse(await res.json());
    } else {
      await expectProblem(res, status, /只有|只能/);
    }
  });

  it('a grid member refused in their own building is told the floor or room that is outside, or the cell to narrow to', async () => {
    const A201 = { buildingId: 'bldg-a', floorId: 'a-f2', roomId: 'A201' };
    const refusal = async (who: string, location: object, lang: string) => {
      const res = await call(s.app, 'POST', `/api/cases?lang=${lang}`, {
        as: who,
        body: newCaseBody({ location }),
      });
      const p = await expectProblem(res, 403);
      // bldg-a is in these members' grid: no refusal may say it is outside.
      expect(p.detail).not.toMatch(/bldg-a is outside|bldg-a 不在/);
      return p.detail;
    };
    const cluster = 'cluster a-f1-c1 on floor a-f1, rooms A101, A102, A103, A104, A105';
    expect(await refusal('grid-a1c1', A201, 'en')).toContain(
      `room A201 on floor a-f2 is outside yours, which is ${cluster}`,
    );
    expect(await refusal('grid-a1c1', A201, 'zh-CN')).toContain(
      '楼层 a-f2 的房间 A201 不在您的网格内，您的网格是楼层 a-f1 的房间组 a-f1-c1',
    );
    expect(await refusal('grid-a1c1', A106, 'en')).toContain('room A106 on floor a-f1 is outside yours');
    const narrow =
      'is wider than your cell; narrow the location to a room of your cluster a-f1-c1 (A101, A102';
    expect(await refusal('grid-a1c1', BLDG_A, 'en')).toContain(`building bldg-a alone ${narrow}`);
    expect(await refusal('grid-a1c1', FLOOR_A1, 'en')).toContain(`floor a-f1 alone ${narrow}`);
    expect(await refusal('grid-a1c1', BLDG_A, 'zh-CN')).toContain(
      '只写到楼栋 bldg-a，比您的网格大，请把地点具体到您的房间组 a-f1-c1 中的一个房间',
    );
    expect(await refusal('grid-a1f', FLOOR_A2, 'en')).toContain(
      'floor a-f2 is outside yours, which is floor a-f1',
    );
    expect(await refusal('grid-a1f', BLDG_A, 'zh-CN')).toContain('请把地点具体到您的楼层 a-f1 或其中的房间');
    // A building with no cell of theirs is still said to be outside their grid.
    const other = await call(s.app, 'POST', '/api/cases?lang=en', {
      as: 'grid-a1c1',
      body: newCaseBody({ location: B101 }),
    });
    expect((await expectProblem(other, 403)).detail).toContain('(bldg-b is outside yours)');
  });

  it('without a token is 401; a token of someone not in the directory is 401', async () => {
    const none = await call(s.app, 'POST', '/api/cases', { body: newCaseBody() });
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    await expectProblem(none, 401, /Authorization: Bearer/);
    const ghost = await issueLocalToken(testEnv().JWT_SECRET ?? '', 'nobody-here');
    const res = await s.app.request('/api/cases', { headers: { authorization: `Bearer ${ghost}` } });
    await expectProblem(res, 401, /nobody-here/);
    const wrongSecret = await issueLocalToken('another-secret-0123456789abcdef0123456789', 'sup-wang');
    const res2 = await s.app.request('/api/cases', { headers: { authorization: `Bearer ${wrongSecret}` } });
    await expectProblem(res2, 401);
  });

  it('a 401 challenges with Bearer and explains in the caller’s language (zh-CN by default)', async () => {
    const ghost = await issueLocalToken(testEnv().JWT_SECRET ?? '', 'nobody-here');
    const forged = `${(await issueLocalToken('another-secret-0123456789abcdef0123456789', 'sup-wang')).slice(0, -4)}AAAA`;
    const cases: [Record<string, string>, RegExp, RegExp][] = [
      [{}, /请在请求头中携带 Authorization: Bearer/, /^send Authorization: Bearer/],
      [{ authorization: `Bearer ${forged}` }, /令牌无效/, /the bearer token is not valid/],
      [
        { authorization: `Bearer ${ghost}` },
        /nobody-here 不在校园名录中/,
        /nobody-here is not in the campus directory/,
      ],
    ];
    for (const [headers, zh, en] of cases) {
      const zhRes = await s.app.request('/api/cases', { headers });
      expect(zhRes.headers.get('www-authenticate')).toBe('Bearer realm="rectify"');
      const pz = await expectProblem(zhRes, 401, zh);
      expect(pz.title).toBe('需要登录');
      const viaQuery = await s.app.request('/api/cases?lang=en', { headers });
      await expectProblem(viaQuery, 401, en);
      const viaHeader = await s.app.request('/api/cases', {
        headers: { ...headers, 'accept-language': 'en-US' },
      });
      expect(viaHeader.headers.get('www-authenticate')).toBe('Bearer realm="rectify"');
      expect((await expectProblem(viaHeader, 401, en)).title).toBe('Authentication required');
    }
  });
});

describe('who may read a case', () => {
  it('a grid member reads only cases named at least as precisely as their cell', async () => {
    const open = async (location: object) => {
      const res = await call(s.app, 'POST', '/api/cases', {
        as: 'sup-wang',
        body: newCaseBody({ location }),
      });
      return createdCaseSchema.parse(await res.json()).caseId;
    };
    const byBuilding = await open(BLDG_A);
    const byFloor2 = await open(FLOOR_A2);
    const status = async (who: string, id: string) =>
      (await call(s.app, 'GET', `/api/cases/${id}`, { as: who })).status;
    expect(await status('grid-a1', byBuilding)).toBe(200);
    expect(await status('grid-a1f', byBuilding)).toBe(403);
    expect(await status('grid-a1c1', byBuilding)).toBe(403);
    expect(await status('grid-a2f', byFloor2)).toBe(200);
    expect(await status('grid-a1f', byFloor2)).toBe(403);
    expect(await status('grid-a1c1', byFloor2)).toBe(403);
    expect(await status('grid-a2c1', byFloor2)).toBe(403);
  });

  it.each([
    ['sup-wang', 200],
    ['sup-smith', 200],
    ['sup-li', 403],
    ['staff-zhou', 200],
    ['staff-wu', 403],
    ['audit-he', 200],
    ['admin-xu', 200],
    ['wg-chen', 200],
    ['lead-huang', 200],
    ['grid-a1c1', 200],
    ['grid-a1c2', 403],
    ['grid-b1', 403],
    ['dept-cs', 403],
  ] as const)('%s → %i', async (who, status) => {
    const res = await call(s.app, 'GET', `/api/cases/${caseA}`, { as: who });
    if (status === 200) {
      expect(res.status).toBe(200);
      expect(caseViewSchema.parse(await res.json()).caseId).toBe(caseA);
    } else {
      await expectProblem(res, status);
    }
  });
});

describe('who may take which step', () => {
  let c: string;
  beforeAll(async () => {
    const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
    c = createdCaseSchema.parse(await res.json()).caseId;
  });
  const rootCause = { causes: ['管道老化'], responsibleId: 'staff-zhou', plan: '更换管道' };

  it.each([
    ['root-cause', 'staff-wu', rootCause, 403, 'staff not on the case cannot even read it'],
    ['root-cause', 'audit-he', rootCause, 403, 'auditors change nothing'],
    ['root-cause', 'sup-li', rootCause, 403, 'supervisor of another building'],
    ['root-cause', 'grid-a1c1', rootCause, 403, 'grid members do not analyse'],
    ['review', 'sup-wang', { passed: true, notes: 'ok' }, 409, 'review while analysing: wrong stage'],
    ['rectification', 'staff-zhou', { summary: 'x', evidence: ['a.jpg'] }, 409, 'rectify while analysing'],
    ['withdraw', 'staff-zhou', { reason: 'no' }, 403, 'staff cannot withdraw'],
    ['comments', 'audit-he', { text: '看过' }, 403, 'auditors do not comment'],
    ['comments', 'grid-a1c1', { text: '已到现场' }, 200, 'a grid member of the place comments'],
    ['comments', 'lead-huang', { text: '请尽快处理' }, 200, 'leadership comments'],
    ['root-cause', 'staff-zhou', rootCause, 200, 'the assignee analyses'],
    ['root-cause', 'sup-wang', rootCause, 409, 'analysis is over'],
    ['withdraw', 'sup-li', { reason: 'dup' }, 403, 'supervisor of another building cannot withdraw'],
    ['withdraw', 'sup-wang', { reason: '重复' }, 200, 'the building supervisor withdraws'],
    ['comments', 'sup-wang', { text: 'late' }, 409, 'a withdrawn case takes no more steps'],
  ] as const)('%s by %s → %i (%s)', async (path, who, body, status, _why) => {
    const res = await call(s.app, 'POST', `/api/cases/${c}/${path}`, { as: who, body });
    if (status === 200) {
      expect(res.status).toBe(200);
      caseViewSchema.parse(await res.json());
    } else {
      await expectProblem(res, status);
    }
  });

  it('a refusal names the rule, in the caller’s language', async () => {
    const res = await call(s.app, 'POST', `/api/cases/${caseA}/withdraw`, {
      as: 'staff-zhou',
      body: { reason: 'no' },
      headers: { 'accept-language': 'en-GB,en;q=0.8' },
    });
    const p = await expectProblem(res, 403, /only a supervisor of this building may withdraw the case/);
    expect(p.title).toBe('Not allowed');
    const zh = await call(s.app, 'POST', '/api/cases', { as: 'audit-he', body: newCaseBody() });
    const pz = await expectProblem(zh, 403, /员工和审计人员不能/);
    expect(pz.title).toBe('无权执行此操作');
  });

  // The running case refuses in "English / 中文"; the caller reads only their own half.
  const HAN = /\p{Script=Han}/u;
  it.each([
    [
      'withdraw',
      'staff-zhou',
      { reason: 'no' },
      403,
      'only a supervisor of this building may withdraw the case',
      '只有本楼栋主管可以撤销案件',
    ],
    [
      'adjudication',
      'sup-wang',
      { decision: 'proceed', notes: 'x' },
      409,
      'the case is now at “Analysing”, where this cannot be done (it needs “Adjudicating”)',
      '案件当前处于「原因分析」，不能执行此操作（需处于「异议裁决」）',
    ],
    ['comments', 'audit-he', { text: '看过' }, 403, 'auditors have read-only access', '审计人员只读'],
    // The side steps said the assignee's or supervisor's rule ("…may have been reassigned"): read-only is why.
    ['arrived', 'audit-he', {}, 403, 'auditors have read-only access', '审计人员只读'],
    [
      'pause',
      'audit-he',
      { reason: 'waiting_for_parts' },
      403,
      'auditors have read-only access',
      '审计人员只读',
    ],
    [
      'reassign',
      'audit-he',
      { assigneeId: 'staff-zhao', reason: 'x' },
      403,
      'auditors have read-only access',
      '审计人员只读',
    ],
  ] as const)(
    'the case’s refusal of %s by %s is in the caller’s language only',
    async (path, who, body, status, en, zh) => {
      const url = `/api/cases/${caseA}/${path}`;
      const pe = await expectProblem(
        await call(s.app, 'POST', url, { as: who, body, headers: { 'accept-language': 'en-GB,en;q=0.8' } }),
        status,
      );
      expect(pe.detail).toBe(en);
      expect(pe.detail).not.toMatch(HAN);
      const pq = await expectProblem(await call(s.app, 'POST', `${url}?lang=en`, { as: who, body }), status);
      expect(pq.detail).toBe(en);
      const pz = await expectProblem(
        await call(s.app, 'POST', url, { as: who, body, headers: { 'accept-language': 'zh-CN,zh;q=0.9' } }),
        status,
      );
      expect(pz.detail).toBe(zh);
      expect(pz.detail).not.toMatch(/[A-Za-z]/);
      // No language asked for: zh-CN.
      expect((await expectProblem(await call(s.app, 'POST', url, { as: who, body }), status)).detail).toBe(
        zh,
      );
    },
  );
});

describe('who sees which cases in a list', () => {
  // Every page: other test files share the tables and may open many cases in the same minutes.
  const list = async (who: string, query = '') => {
    const items: CaseSummary[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 100; n++) {
      const next = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await call(
        s.app,
        'GET',
        `/api/cases?from=${encodeURIComponent(since)}&limit=100${query}${next}`,
        { as: who },
      );
      expect(res.status).toBe(200);
      const page = caseListSchema.parse(await res.json());
      items.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return items;
  };

  it('auditors see both buildings; supervisors only theirs; staff only their own; grid members only their grid', async () => {
    const audit = await list('audit-he');
    expect(new Set(audit.map((i) => i.location.buildingId))).toEqual(new Set(['bldg-a', 'bldg-b']));
    const li = await list('sup-li');
    expect(li.length).toBeGreaterThan(0);
    expect(li.every((i) => i.location.buildingId === 'bldg-b')).toBe(true);
    const wang = await list('sup-wang');
    expect(wang.map((i) => i.caseId)).toContain(caseA);
    expect(wang.every((i) => i.location.buildingId === 'bldg-a')).toBe(true);
    const zhou = await list('staff-zhou');
    expect(zhou.map((i) => i.caseId)).toContain(caseA);
    expect(zhou.every((i) => i.responsibleId === 'staff-zhou' || i.assigneeId === 'staff-zhou')).toBe(true);
    // Other files may assign cases to staff-wu meanwhile: none of theirs is someone else's, and not this one.
    const wu = await list('staff-wu');
    expect(wu.every((i) => i.assigneeId === 'staff-wu' || i.responsibleId === 'staff-wu')).toBe(true);
    expect(wu.map((i) => i.caseId)).not.toContain(caseA);
    const grid = await list('grid-a1c1');
    expect(grid.map((i) => i.caseId)).toContain(caseA);
    expect(
      grid.every((i) => ['A101', 'A102', 'A103', 'A104', 'A105'].includes(i.location.roomId ?? '')),
    ).toBe(true);
  });

  it('staff see the cases assigned to them and the cases they are responsible for, paged without duplicates', async () => {
    // Assignee and responsible person differ once the root-cause analysis names someone else.
    const open = async (assigneeId: string, responsibleId?: string) => {
      const res = await call(s.app, 'POST', '/api/cases', {
        as: 'sup-wang',
        body: newCaseBody({ assigneeId }),
      });
      const { caseId } = createdCaseSchema.parse(await res.json());
      if (responsibleId) {
        const rc = await call(s.app, 'POST', `/api/cases/${caseId}/root-cause`, {
          as: 'sup-wang',
          body: { causes: ['阀芯老化'], responsibleId, plan: '更换阀芯' },
        });
        expect(rc.status).toBe(200);
      }
      return caseId;
    };
    const onlyLee = await open('staff-lee');
    const leeResponsible = await open('staff-sun', 'staff-lee');
    const leeAssigned = await open('staff-lee', 'staff-sun');
    const both = await open('staff-lee', 'staff-lee');
    const newestFirst = [both, leeAssigned, leeResponsible, onlyLee];

    const pages = async (who: string, limit: number) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let n = 0;
      do {
        const q = new URLSearchParams({ from: since, limit: String(limit), ...(cursor ? { cursor } : {}) });
        const res = await call(s.app, 'GET', `/api/cases?${q.toString()}`, { as: who });
        expect(res.status).toBe(200);
        const page = caseListSchema.parse(await res.json());
        expect(page.items.length).toBeLessThanOrEqual(limit);
        for (const i of page.items) expect([i.assigneeId, i.responsibleId]).toContain(who);
        seen.push(...page.items.map((i) => i.caseId));
        cursor = page.nextCursor;
      } while (cursor && ++n < 50);
      return seen;
    };
    // The record (what lists read) follows the workflow's step: wait until both people's lists have settled.
    const mine = async (who: string) => (await pages(who, 100)).filter((id) => newestFirst.includes(id));
    for (let i = 0; i < 40; i++) {
      if ((await mine('staff-lee')).length === 4 && (await mine('staff-sun')).length === 2) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const limit of [1, 2, 3, 100]) {
      const lee = await pages('staff-lee', limit);
      expect(new Set(lee).size, `limit ${limit}: ${lee.join(',')}`).toBe(lee.length);
      expect(lee.filter((id) => newestFirst.includes(id))).toEqual(newestFirst);
    }
    const sun = await pages('staff-sun', 1);
    expect(new Set(sun).size).toBe(sun.length);
    expect(sun.filter((id) => newestFirst.includes(id))).toEqual([leeAssigned, leeResponsible]);
    // A staff member may narrow to the cases assigned to them.
    const assigned = caseListSchema.parse(
      await (
        await call(
          s.app,
          'GET',
          `/api/cases?from=${encodeURIComponent(since)}&assigneeId=staff-lee&limit=100`,
          {
            as: 'staff-lee',
          },
        )
      ).json(),
    );
    expect(assigned.items.map((i) => i.caseId).filter((id) => newestFirst.includes(id))).toEqual([
      both,
      leeAssigned,
      onlyLee,
    ]);
  });

  it('asking outside one’s scope is refused with the rule', async () => {
    const res = await call(s.app, 'GET', '/api/cases?assigneeId=staff-wu', { as: 'staff-zhou' });
    await expectProblem(res, 403, /员工只能查看/);
    const res2 = await call(s.app, 'GET', '/api/cases?buildingId=bldg-a', { as: 'sup-li' });
    await expectProblem(res2, 403, /学生公寓A栋不归您管/);
  });
});

describe('production bearer tokens (the identity provider’s JWKS)', () => {
  const ISSUER = 'https://idp.example.edu.cn/realms/campus';
  let jwks: Server;
  let key: CryptoKey;
  let jwksUrl: string;
  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    key = pair.privateKey;
    const body = JSON.stringify({
      keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }],
    });
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(async () => {
    await new Promise((resolve) => jwks?.close(resolve));
  });

  const productionApp = () =>
    createApp({
      ...s.deps,
      env: parseEnv({
        ...Object.fromEntries(
          Object.entries(s.deps.env).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]),
        ),
        LINK_SIGNING_KEYS: JSON.stringify(s.deps.signingKeys),
        RECTIFY_MODE: 'production',
        JWKS_URL: jwksUrl,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: 'rectify-api, rectify-mobile',
        OIDC_ISSUER: 'https://idp.example.edu.cn',
        OIDC_CLIENT_ID: 'rectify-web',
        OIDC_CLIENT_SECRET: 'an-oidc-client-secret',
      }),
      jwtSecret: undefined,
    });
  const tokenOf = (claims: { iss?: string; aud?: string }) => {
    const jwt = new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('audit-he')
      .setIssuedAt()
      .setExpirationTime('10m');
    if (claims.iss) jwt.setIssuer(claims.iss);
    if (claims.aud) jwt.setAudience(claims.aud);
    return jwt.sign(key);
  };
  const get = async (app: ReturnType<typeof createApp>, token: string, lang?: string) =>
    app.request('/api/cases?limit=1', {
      headers: { authorization: `Bearer ${token}`, ...(lang ? { 'accept-language': lang } : {}) },
    });

  it('accepts a token from the configured issuer for one of the configured audiences', async () => {
    const app = productionApp();
    for (const aud of ['rectify-api', 'rectify-mobile']) {
      const res = await get(app, await tokenOf({ iss: ISSUER, aud }));
      expect([aud, res.status]).toEqual([aud, 200]);
    }
  });

  it.each([
    [
      'another issuer',
      { iss: 'https://idp.example.edu.cn/realms/other', aud: 'rectify-api' },
      /签发者/,
      /"iss"/,
    ],
    ['no issuer', { aud: 'rectify-api' }, /签发者/, /"iss"/],
    ['another application’s audience', { iss: ISSUER, aud: 'library-app' }, /受众不符/, /"aud"/],
    ['no audience', { iss: ISSUER }, /受众不符/, /"aud"/],
  ] as const)('refuses a token with %s (401, in the caller’s language)', async (_what, claims, zh, en) => {
    const app = productionApp();
    const token = await tokenOf(claims);
    const res = await get(app, token);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="rectify"');
    await expectProblem(res, 401, zh);
    await expectProblem(await get(app, token, 'en'), 401, en);
  });

  it.each([
    ['no expiry', { exp: false, sub: true }],
    ['no subject', { exp: true, sub: false }],
  ] as const)('refuses a token with %s (401)', async (_what, o) => {
    const jwt = new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience('rectify-api')
      .setIssuedAt();
    if (o.sub) jwt.setSubject('audit-he');
    if (o.exp) jwt.setExpirationTime('10m');
    const res = await get(productionApp(), await jwt.sign(key));
    await expectProblem(res, 401, /令牌无效/);
  });

  it('refuses an unsigned token and an HMAC token, whatever they claim', async () => {
    const body = (claims: object) => Buffer.from(JSON.stringify(claims)).toString('base64url');
    const claims = {
      iss: ISSUER,
      aud: 'rectify-api',
      sub: 'audit-he',
      exp: Math.floor(Date.now() / 1000) + 600,
    };
    const unsigned = `${body({ alg: 'none', typ: 'JWT' })}.${body(claims)}.`;
    await expectProblem(await get(productionApp(), unsigned), 401, /令牌无效/);
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(new TextEncoder().encode('x'.repeat(32)));
    await expectProblem(await get(productionApp(), hmac), 401, /令牌无效/);
  });

  it('takes the key set only over https (or from this machine)', () => {
    const base = Object.fromEntries(
      Object.entries(s.deps.env).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]),
    );
    const prod = (jwks: string) =>
      parseEnv({
        ...base,
        LINK_SIGNING_KEYS: JSON.stringify(s.deps.signingKeys),
        RECTIFY_MODE: 'production',
        JWKS_URL: jwks,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: 'rectify-api',
        OIDC_ISSUER: 'https://idp.example.edu.cn',
        OIDC_CLIENT_ID: 'rectify-web',
        OIDC_CLIENT_SECRET: 'an-oidc-client-secret',
      });
    expect(() => prod('http://idp.example.edu.cn/jwks.json')).toThrow(/JWKS_URL: must be an https URL/);
    expect(prod('https://idp.example.edu.cn/jwks.json').JWKS_URL).toBe(
      'https://idp.example.edu.cn/jwks.json',
    );
    expect(prod(jwksUrl).JWKS_URL).toBe(jwksUrl);
  });
});
