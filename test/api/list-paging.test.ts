import type { WriteRequest } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchWrite } from '../../store/batch-write.ts';
import { caseRecordItem } from '../../store/case-record-item.ts';
import { pageSessions } from '../support/page-sessions.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import { view } from '../support/views.ts';
import { startApiStackOn, type ApiStack } from './harness.ts';

/**
 * A busy term's lists: the case list says how many cases its filters match and which of them a
 * page holds, and the auditor's search pages back as well as forward. Own tables, with the cases
 * written as the workflow stores them, so the counts hold only this file's.
 */
const tables = ownTables(uniqueId('paging'));
let s: ApiStack;
const as = pageSessions(() => s.deps.aws);
const tag = uniqueId('busy');
const many = uniqueId('many');
let serial = 0;

async function get(path: string, personId: string, lang = 'zh-CN') {
  const res = await s.app.request(path, {
    headers: { 'accept-language': lang, cookie: `rectify_session=${(await as(personId)).id}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

/** `n` open cases titled `title n`, newest last, in the given building (a room of it in bldg-a). */
function cases(title: string, n: number, buildingId: (i: number) => string): WriteRequest[] {
  const base = Date.now() - 30 * 86_400_000;
  return Array.from({ length: n }, (_, i) => {
    const b = buildingId(i);
    serial += 1;
    return {
      PutRequest: {
        Item: caseRecordItem(
          view({
            caseId: `ZG-2026-${String(800_000 + serial)}`,
            openedAt: new Date(base + serial * 60_000).toISOString(),
            title: `${title} ${i}`,
            stage: 'rectifying',
            severity: i % 3 ? 'routine' : 'urgent',
            location:
              b === 'bldg-a'
                ? { buildingId: b, floorId: 'a-f1', roomId: 'A101' }
                : { buildingId: b, floorId: 'b-f1', roomId: 'B101' },
            deadlines: [['rectifying', 'pending', 48]],
          }),
        ),
      },
    };
  });
}

const link = (html: string, rel: string) =>
  new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html)?.[1]?.replaceAll('&amp;', '&');
const countLine = (html: string) => /<p data-result-count[^>]*>([^<]*)<\/p>/.exec(html)?.[1];

beforeAll(async () => {
  s = await startApiStackOn(tables);
  // More than the count reads; then, newer, 30 in a building sup-wang supervises and 15 in one he does not.
  await batchWrite(
    s.deps.aws.ddb,
    s.deps.aws.tables.cases,
    cases(many, 1001, () => 'bldg-a'),
  );
  await batchWrite(
    s.deps.aws.ddb,
    s.deps.aws.tables.cases,
    cases(tag, 45, (i) => (i % 3 === 2 ? 'bldg-b' : 'bldg-a')),
  );
}, 180_000);
afterAll(async () => {
  await s?.stop();
});

describe('the case list says how many cases match', () => {
  it('the total within the reader’s scope and filters, and which of them each page holds', async () => {
    // Newest first, by cursor: each page's place is where its first case stands.
    const seen: string[] = [];
    let path: string | undefined = `/app/cases?q=${tag}&limit=20`;
    while (path) {
      const html = await get(path, 'sup-wang');
      seen.push(countLine(html) ?? '');
      path = link(html, 'next');
    }
    // Pages read past the older cases the text leaves out hold none: the total alone.
    expect(seen.slice(0, 2)).toEqual(['共 30 件，第 1–20 件', '共 30 件，第 21–30 件']);
    for (const line of seen.slice(2)) expect(line).toBe('共 30 件');
    // Back to the first page by 上一页, the same words.
    const second = link(await get(`/app/cases?q=${tag}&limit=20`, 'sup-wang'), 'next') ?? '';
    const back = link(await get(second, 'sup-wang'), 'prev') ?? '';
    expect(countLine(await get(back, 'sup-wang'))).toBe('共 30 件，第 1–20 件');
    // Everyone counts what they may read: the auditor all 45, sup-li his 15.
    expect(countLine(await get(`/app/cases?q=${tag}`, 'audit-he', 'en'))).toBe('45 cases, showing 1–25');
    expect(countLine(await get(`/app/cases?q=${tag}`, 'sup-li'))).toBe('共 15 件，第 1–15 件');
    // Filters the index serves count too.
    expect(countLine(await get(`/app/cases?q=${tag}&severity=urgent`, 'audit-he'))).toBe(
      '共 15 件，第 1–15 件',
    );
    // A sorted list, paged by number.
    expect(countLine(await get(`/app/cases?q=${tag}&limit=20&sort=severity&page=2`, 'sup-wang'))).toBe(
      '共 30 件，第 21–30 件',
    );
  });

  it('past a thousand says so rather than a number it did not count', async () => {
    const html = await get(`/app/cases?q=${many}`, 'sup-wang');
    expect(countLine(html)).toBe('共 1,000+ 件，第 1–25 件');
    const en = await get(`/app/cases?q=${many}&sort=due`, 'sup-wang', 'en');
    expect(countLine(en)).toBe('1,000+ cases, showing 1–25');
  });
});

describe('the auditor’s search pages back', () => {
  it('上一页 walks back by the cursors seen to the same pages, and the first page is one link away', async () => {
    const idsOn = (html: string) => [...html.matchAll(/<tr data-case="([^"]+)">/g)].map((m) => m[1]);
    const forward: { path: string; ids: (string | undefined)[] }[] = [];
    let path: string | undefined = `/app/audit?q=${tag}&building=&stage=&from=&to=`;
    while (path) {
      const html = await get(path, 'audit-he');
      forward.push({ path, ids: idsOn(html) });
      if (forward.length === 1) {
        expect(link(html, 'prev')).toBeUndefined();
        expect(html).not.toContain('回到第一页');
      }
      path = link(html, 'next');
    }
    // Every case once; pages read past the older cases the text leaves out may hold none.
    expect(forward.flatMap((p) => p.ids)).toHaveLength(45);
    expect(forward.length).toBeGreaterThanOrEqual(3);
    const last = await get(forward.at(-1)!.path, 'audit-he');
    expect(last).toContain('回到第一页');
    const first = /href="([^"]+)">回到第一页/.exec(last)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(idsOn(await get(first, 'audit-he'))).toEqual(forward[0]!.ids);
    let at = forward.at(-1)!.path;
    for (let i = forward.length - 2; i >= 0; i--) {
      const prev = link(await get(at, 'audit-he'), 'prev');
      expect(prev).toBeDefined();
      at = prev ?? '';
      expect(idsOn(await get(at, 'audit-he'))).toEqual(forward[i]!.ids);
    }
    // In English too.
    expect(await get(forward[1]!.path, 'audit-he', 'en')).toContain('Previous page');
    // A trail that is not cursors is a 400 naming it, not a 500.
    const bad = await s.app.request(`/app/audit?q=${tag}&back=${encodeURIComponent('<x>')}`, {
      headers: { 'accept-language': 'zh-CN', cookie: `rectify_session=${(await as('audit-he')).id}` },
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('上一页位置');
  });
});
