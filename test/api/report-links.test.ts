import { randomBytes } from 'node:crypto';
import { GetItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedbackActivities } from '../../activities/feedback.ts';
import { signLinkToken, type LinkClaims, type SigningKeys } from '../../domain/link-token.ts';
import { reportScopeId, signReportLink, type ReportScope } from '../../domain/report-link.ts';
import { putCases, weekMails } from '../support/feedback-harness.ts';
import { TEST_SIGNING_KEYS, uniqueId, type StoredEmail } from '../support/stack.ts';
import { at, view } from '../support/views.ts';
import { call, outcomeOf, startApiStack, type ApiStack } from './harness.ts';

// 2014-W10 (Monday 2014-03-03 to Sunday 2014-03-09, Shanghai) belongs to this file.
const WEEK = '2014-W10';
const MON = '2014-03-03T02:00:00.000Z';
const ids = { a1: uniqueId('RL-a1'), a2: uniqueId('RL-a2'), a3: uniqueId('RL-a3'), b1: uniqueId('RL-b1') };
const random = (n: number) => new Uint8Array(randomBytes(n));
let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
  await putCases(stack.activityDeps, [
    view({
      caseId: ids.a1,
      openedAt: MON,
      deadlines: [['analysing', 'met']],
      score: 5,
      closedAt: at(MON, 20),
    }),
    view({
      caseId: ids.a2,
      openedAt: at(MON, 1),
      location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A102' },
      stage: 'rectifying',
      deadlines: [
        ['analysing', 'breached'],
        ['rectifying', 'pending'],
      ],
    }),
    view({
      caseId: ids.a3,
      openedAt: at(MON, 2),
      location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A103' },
      deadlines: [['analysing', 'met']],
      closedAt: at(MON, 10),
    }),
    view({
      caseId: ids.b1,
      openedAt: at(MON, 3),
      location: { buildingId: 'bldg-b', roomId: 'B101' },
      deadlines: [['analysing', 'met']],
      closedAt: at(MON, 12),
    }),
  ]);
  // The weekly run's own activities, outside a workflow: build, then send the summaries and staff digests.
  const feedback = createFeedbackActivities(stack.activityDeps);
  const built = await feedback.buildWeeklyFeedback({
    week: WEEK,
    timeZone: 'Asia/Shanghai',
    workflowId: uniqueId('report-links'),
    lookbackDays: 30,
  });
  const batch = { week: WEEK, purpose: 'digest' as const, ratePerSecond: 100 };
  await feedback.sendWeeklyBatch({ ...batch, kind: 'building', ids: built.buildings });
  await feedback.sendWeeklyBatch({ ...batch, kind: 'working_group', ids: ['campus'] });
  await feedback.sendWeeklyBatch({ ...batch, kind: 'staff', ids: built.staff });
});
afterAll(async () => {
  await stack?.stop();
});

async function summaryTo(address: string, subjectHas: string): Promise<StoredEmail> {
  const mail = (await weekMails(WEEK, 'Weekly summary')).find(
    (m) => m.to.includes(address) && m.subject.includes(subjectHas),
  );
  if (!mail) throw new Error(`no summary email to ${address}`);
  return mail;
}

/** The `/reports/<token>` path of the link in an email's text. */
function reportPath(mail: StoredEmail): string {
  const m = /http:\/\/rectify\.test(\/reports\/[A-Za-z0-9._-]+)/.exec(mail.text);
  if (!m?.[1]) throw new Error(`no report link in: ${mail.subject}\n${mail.text}`);
  return m[1];
}

const tokenOf = (path: string) => path.slice('/reports/'.length);
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[2] ?? '', 'base64url').toString('utf8')) as LinkClaims;

const open = (path: string, headers: Record<string, string> = {}) => stack.app.request(path, { headers });

const linkFor = (
  recipientId: string,
  scope: ReportScope,
  now = new Date(),
  keys: SigningKeys = TEST_SIGNING_KEYS,
) => `/reports/${signReportLink({ scope, recipientId, now }, keys, random).token}`;

/** A figure of the counts table: this week's value of the row labelled (in English) `label`. */
function figure(html: string, label: string): number {
  const m = new RegExp(`${label}</span></td><td>(\\d+)</td>`).exec(html);
  if (!m?.[1]) throw new Error(`no ${label} row`);
  return Number(m[1]);
}

/** Every ops-table row of this file's week (digests, tallies, outbox rows), in key order. */
async function rowsOfTheWeek(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const out = await stack.deps.aws.ddb.send(
      new ScanCommand({
        TableName: stack.deps.aws.tables.ops,
        FilterExpression: 'contains(pk, :w) OR contains(sk, :w)',
        ExpressionAttributeValues: marshall({ ':w': WEEK }),
        ExclusiveStartKey,
      }),
    );
    rows.push(...(out.Items ?? []).map((i) => unmarshall(i)));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  const key = (r: Record<string, unknown>) => `${String(r.pk)}\u0000${String(r.sk)}`;
  return rows.sort((a, b) => key(a).localeCompare(key(b)));
}

describe('the summary emails carry signed report links', () => {
  it('each supervisor and working-group member gets their own /reports/ link, never the /api URL', async () => {
    const wang = await summaryTo('wang.jianguo@demo.edu.cn', '学生公寓A栋');
    const smith = await summaryTo('anna.smith@demo.edu.cn', '学生公寓A栋');
    const chen = await summaryTo('chen.ming@demo.edu.cn', '全校');
    for (const [mail, recipientId, scope] of [
      [wang, 'sup-wang', { week: WEEK, buildingId: 'bldg-a' }],
      [smith, 'sup-smith', { week: WEEK, buildingId: 'bldg-a' }],
      [chen, 'wg-chen', { week: WEEK }],
    ] as const) {
      expect(mail.text).not.toContain('/api/reports');
      expect(mail.html).not.toContain('/api/reports');
      const path = reportPath(mail);
      expect(mail.html).toContain(`href="http://rectify.test${path}"`);
      const claims = claimsOf(tokenOf(path));
      expect(claims).toMatchObject({
        caseId: reportScopeId(scope),
        step: 'report_view',
        action: 'view',
        round: 0,
        recipientId,
      });
      expect(claims.exp - claims.iat).toBe(7 * 24 * 3600);
    }
    expect(reportPath(wang)).not.toBe(reportPath(smith));
  });

  it('staff digests carry no report link (staff may not read building reports)', async () => {
    const staff = await weekMails(WEEK, '每周反馈');
    expect(staff.length).toBeGreaterThan(0);
    for (const mail of staff) expect(mail.text).not.toMatch(/\/reports?\//);
  });
});

describe('GET /reports/{token}', () => {
  it('opens the building page from the email, without a login: the same page as the API, with the week’s figures', async () => {
    const path = reportPath(await summaryTo('wang.jianguo@demo.edu.cn', '学生公寓A栋'));
    const res = await open(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('学生公寓A栋 周报');
    expect(figure(html, 'Opened')).toBe(3);
    expect(figure(html, 'Closed')).toBe(2);
    expect(figure(html, 'Late \\(deadlines breached\\)')).toBe(1);
    expect(figure(html, 'Ratings received')).toBe(1);
    for (const id of [ids.a1, ids.a2, ids.a3]) expect(html).toContain(id);
    expect(html).not.toContain(ids.b1);

    // One page, two doors: the bearer-token route renders exactly this for the same reader.
    const api = await call(
      stack.app,
      'GET',
      `/api/reports/weekly?week=${WEEK}&buildingId=bldg-a&format=html`,
      {
        as: 'sup-wang',
      },
    );
    expect(await api.text()).toBe(html);
    // Not single use: it opens again.
    expect((await open(path)).status).toBe(200);
  });

  it('renders in the recipient’s language: English first for an English-speaking supervisor', async () => {
    const res = await open(reportPath(await summaryTo('anna.smith@demo.edu.cn', '学生公寓A栋')));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Opened <span class="alt" lang="zh-CN">新开案件</span>');
    expect(html).toContain('Weekly summary · Dormitory A');
  });

  it('opens the campus page from a working-group email, every building in it', async () => {
    const res = await open(reportPath(await summaryTo('chen.ming@demo.edu.cn', '全校')));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(figure(html, 'Opened')).toBe(4);
    expect(figure(html, 'Closed')).toBe(3);
    expect(html).toContain('学生公寓A栋');
    expect(html).toContain('学生公寓B栋');
    for (const id of Object.values(ids)) expect(html).toContain(id);
  });

  it('changes nothing in DynamoDB and stores no link, however often it is opened', async () => {
    const path = reportPath(await summaryTo('yang.fan@demo.edu.cn', '全校'));
    const before = await rowsOfTheWeek();
    expect(before.some((r) => String(r.pk) === `DIGEST#${WEEK}`)).toBe(true);
    expect(before.some((r) => String(r.pk) === `OUTBOX#WEEKLY#${WEEK}`)).toBe(true);
    for (let i = 0; i < 3; i++) expect((await open(path)).status).toBe(200);
    await open(`${path}x`);
    await stack.app.request(path, { method: 'POST' });
    expect(await rowsOfTheWeek()).toEqual(before);
    // The outbox row keeps no copy of the link, and no link row was ever written for it.
    expect(JSON.stringify(before)).not.toContain(tokenOf(path));
    const row = await stack.deps.aws.ddb.send(
      new GetItemCommand({
        TableName: stack.deps.aws.tables.ops,
        Key: marshall({ pk: `LINK#${claimsOf(tokenOf(path)).tid}`, sk: '-' }),
        ConsistentRead: true,
      }),
    );
    expect(row.Item).toBeUndefined();
  });

  it('is no action link: /actions refuses a report token', async () => {
    const path = reportPath(await summaryTo('wang.jianguo@demo.edu.cn', '学生公寓A栋'));
    const res = await open(`/actions/${tokenOf(path)}`);
    expect(res.status).toBe(404);
  });
});

describe('GET /reports/{token} refusals', () => {
  const bldgA = { week: WEEK, buildingId: 'bldg-a' };
  const genuine = () => tokenOf(linkFor('sup-wang', bldgA));
  const otherKeys: SigningKeys = { current: 'k2', keys: { k2: 'not-our-secret-0123456789abcdef01234' } };
  const retiredKeys: SigningKeys = { current: 'k9', keys: { k9: 'retired-secret-0123456789abcdef01234' } };
  const ackToken = () =>
    signLinkToken(
      {
        caseId: reportScopeId(bldgA),
        step: 'weekly_ack',
        action: 'acknowledge',
        round: 0,
        recipientId: 'sup-wang',
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 3600,
      },
      TEST_SIGNING_KEYS,
      random,
    ).token;
  /** The genuine token with its claims rewritten but its signature kept. */
  const tampered = (change: Partial<LinkClaims>) => {
    const [v, kid, payload, sig] = genuine().split('.') as [string, string, string, string];
    const claims = {
      ...(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LinkClaims),
      ...change,
    };
    return `${v}.${kid}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
  };
  const eightDaysAgo = () => new Date(Date.now() - 8 * 24 * 3600 * 1000);

  const refusals: [what: string, status: number, outcome: string, token: () => string][] = [
    [
      'tampered: another building',
      400,
      'forged',
      () => tampered({ caseId: reportScopeId({ week: WEEK, buildingId: 'bldg-b' }) }),
    ],
    ['tampered: another recipient', 400, 'forged', () => tampered({ recipientId: 'wg-chen' })],
    [
      'tampered: a later expiry',
      400,
      'forged',
      () => tampered({ exp: Math.floor(Date.now() / 1000) + 3600 }),
    ],
    [
      'forged with another secret',
      400,
      'forged',
      () => tokenOf(linkFor('sup-wang', bldgA, new Date(), otherKeys)),
    ],
    ['signature cut short', 400, 'malformed', () => genuine().slice(0, -1)],
    ['not a token at all', 400, 'malformed', () => 'hello-report'],
    ['a genuine token of another kind', 400, 'malformed', ackToken],
    [
      'signed by a key we do not hold',
      404,
      'unknown_key',
      () => tokenOf(linkFor('sup-wang', bldgA, new Date(), retiredKeys)),
    ],
    ['expired', 410, 'expired', () => tokenOf(linkFor('sup-wang', bldgA, eightDaysAgo()))],
    [
      'out of scope: another building’s supervisor',
      403,
      'out_of_scope',
      () => tokenOf(linkFor('sup-li', bldgA)),
    ],
    [
      'out of scope: a supervisor on the campus report',
      403,
      'out_of_scope',
      () => tokenOf(linkFor('sup-wang', { week: WEEK })),
    ],
    ['out of scope: staff', 403, 'out_of_scope', () => tokenOf(linkFor('staff-zhou', bldgA))],
    [
      'out of scope: no longer in the directory',
      403,
      'out_of_scope',
      () => tokenOf(linkFor('ghost-person', bldgA)),
    ],
    [
      'no such building',
      404,
      'not_found',
      () => tokenOf(linkFor('wg-chen', { week: WEEK, buildingId: 'bldg-z' })),
    ],
    ['no summary that week', 404, 'not_found', () => tokenOf(linkFor('wg-chen', { week: '2014-W11' }))],
  ];
  it.each(refusals)('%s → %i (%s)', async (_what, status, outcome, token) => {
    const res = await open(`/reports/${token()}`);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(outcomeOf(html)).toBe(outcome);
    // Bilingual: Chinese first by default, English beside it; no report figures leak.
    expect(html).toMatch(/[\u4e00-\u9fff]/);
    expect(html).toMatch(/class="alt" lang="en">[^<]*[A-Za-z]{4}/);
    expect(html).not.toContain(ids.a1);
  });

  it('explains an expired link in both languages, English first when the browser asks for it', async () => {
    const path = linkFor('sup-wang', bldgA, eightDaysAgo());
    const zh = await (await open(path)).text();
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('链接已过期');
    expect(zh).toContain('This link has expired');
    const en = await (await open(path, { 'accept-language': 'en-GB,en;q=0.9' })).text();
    expect(en).toContain('<html lang="en">');
    expect(en.indexOf('This link has expired')).toBeLessThan(en.indexOf('链接已过期'));
  });

  it.each([
    ['audit-he', bldgA],
    ['admin-xu', { week: WEEK }],
    ['lead-huang', { week: WEEK, buildingId: 'bldg-b' }],
    ['sup-li', { week: WEEK, buildingId: 'bldg-b' }],
  ])('lets %s read what they may read (%o)', async (who, scope) => {
    expect((await open(linkFor(who, scope))).status).toBe(200);
  });

  it('answers only GET (and HEAD): a POST is 405', async () => {
    const path = linkFor('sup-wang', bldgA);
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await stack.app.request(path, {
        method,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'choice=acknowledge',
      });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(outcomeOf(await res.text())).toBe('method_not_allowed');
    }
    const head = await stack.app.request(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });
});
