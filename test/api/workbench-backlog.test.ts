import { beforeAll, describe, expect, it } from 'vitest';
import { STAGE_MAX } from '../../api/pages/app/workbench-cases.ts';
import type { CaseView } from '../../domain/case-model.ts';
import { batchWrite } from '../../store/batch-write.ts';
import { caseRecordItem } from '../../store/case-record-item.ts';
import { createSession } from '../../store/sessions.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { seedDemo } from '../support/stack.ts';
import { view } from '../support/views.ts';

/**
 * Found by a probe on a busy term: the workbench read only the newest 100 cases of a stage, so
 * with more in analysis the oldest (soonest due) were on no page and the count was wrong; and it
 * cut pages by position, so handling or opening cases between two pages skipped or repeated
 * rows. Own tables: these are the only cases.
 */
const own = appOnOwnTables('wb-backlog');
const ANALYSING = 105;
const HOUR = 3_600_000;
const now = Date.now();

const id = (n: number) => `ZG-2026-${String(n).padStart(6, '0')}`;

/** Case n in analysis, opened n minutes after the others before it, due n hours from now: the oldest is the most urgent. */
function analysing(n: number, due = new Date(now + n * HOUR).toISOString()): CaseView {
  const v = view({
    caseId: id(n),
    openedAt: new Date(now - 30 * 86_400_000 + n * 60_000).toISOString(),
    stage: 'analysing',
    deadlines: [['analysing', 'pending']],
  });
  return { ...v, deadlines: v.deadlines.map((d) => ({ ...d, due })) };
}

const write = (views: CaseView[]) =>
  batchWrite(
    own.deps.ddb,
    own.deps.tables.cases,
    views.map((v) => ({ PutRequest: { Item: caseRecordItem(v) } })),
  );

beforeAll(async () => {
  await seedDemo(own.deps);
  await write(Array.from({ length: ANALYSING }, (_, i) => analysing(i + 1)));
});

async function waiting(personId: string, path = '/app') {
  const s = await createSession(own.deps, { personId, via: 'link' });
  const res = await own.app.request(path, { headers: { cookie: `rectify_session=${s.id}` } });
  expect(res.status).toBe(200);
  const html = await res.text();
  const section = /<section[^>]*data-section="waiting"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
  const heading = /<h2[\s\S]*?<\/h2>/.exec(section)?.[0] ?? '';
  const link = (rel: string) =>
    new RegExp(`href="([^"]+)" rel="${rel}"`).exec(section)?.[1]?.replaceAll('&amp;', '&').split('#')[0];
  return {
    heading,
    rows: [...section.matchAll(/href="\/app\/cases\/(ZG-[0-9-]+)"/g)].map((m) => m[1] ?? ''),
    next: link('next'),
    previous: link('prev'),
  };
}

describe('等我处理 with more than 100 cases in one stage', () => {
  it('counts and lists every one, the soonest due first, for the working group and the admin', async () => {
    for (const who of ['wg-chen', 'admin-xu']) {
      let at = await waiting(who);
      expect(at.heading, who).toContain(`(${ANALYSING})`);
      expect(at.rows.slice(0, 3), who).toEqual([id(1), id(2), id(3)]);
      const seen = [...at.rows];
      for (let n = 0; at.next && n < 10; n++) {
        at = await waiting(who, at.next);
        seen.push(...at.rows);
      }
      expect(seen, who).toEqual(Array.from({ length: ANALYSING }, (_, i) => id(i + 1)));
    }
  });
});

describe('等我处理 pages while cases are handled and opened', () => {
  it('下一页 after handling page 1 misses nothing, and after urgent cases are opened repeats nothing', async () => {
    const first = await waiting('wg-chen');
    expect(first.rows).toEqual(Array.from({ length: 20 }, (_, i) => id(i + 1)));
    expect(first.previous).toBeUndefined();
    // The three at the top are withdrawn before 下一页 is pressed.
    await write([1, 2, 3].map((n) => ({ ...analysing(n), stage: 'withdrawn' as const, version: 2 })));
    const second = await waiting('wg-chen', first.next);
    expect(second.rows).toEqual(Array.from({ length: 20 }, (_, i) => id(i + 21)));
    // Three cases opened more urgent than any shown, before the next 下一页.
    await write([901, 902, 903].map((n) => analysing(n, new Date(now - HOUR + n).toISOString())));
    const third = await waiting('wg-chen', second.next);
    expect(third.rows).toEqual(Array.from({ length: 20 }, (_, i) => id(i + 41)));
    // 上一页 goes back to the second page as it is now.
    const back = await waiting('wg-chen', third.previous);
    expect(back.rows).toEqual(Array.from({ length: 20 }, (_, i) => id(i + 21)));
    // The first page now starts with the urgent ones.
    const top = await waiting('wg-chen');
    expect(top.rows.slice(0, 4)).toEqual([id(901), id(902), id(903), id(4)]);
  });
});

describe('等我处理 past what one request reads', () => {
  it('says the list is cut, gives the count as a lower bound and links to the full list', async () => {
    await write(Array.from({ length: STAGE_MAX }, (_, i) => analysing(5000 + i)));
    const s = await createSession(own.deps, { personId: 'wg-chen', via: 'link' });
    const res = await own.app.request('/app', { headers: { cookie: `rectify_session=${s.id}` } });
    const html = await res.text();
    const section = /<section[^>]*data-section="waiting"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(section).toMatch(/<h2[^>]*>等我处理 <span class="muted" data-count="\d+">\(至少 \d+\)<\/span>/);
    expect(section).toContain('data-list-cut');
    expect(section).toContain('href="/app/cases?stage=analysing"');
  });
});
