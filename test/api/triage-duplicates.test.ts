import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { batchWrite } from '../../store/batch-write.ts';
import { caseRecordItem } from '../../store/case-record-item.ts';
import { openCasesIn } from '../../store/open-cases.ts';
import { newReportId, saveReport } from '../../store/reports.ts';
import { createSession } from '../../store/sessions.ts';
import { pageSessions } from '../support/page-sessions.ts';
import { ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';
import { view, type ViewSpec } from '../support/views.ts';
import { startApiStack, type ApiStack } from './harness.ts';

/**
 * The merge targets a triage card offers: every open case at the report's place and of its kind,
 * however many newer cases the building has (the building's ended cases are never read through),
 * those from the same room and of the same kind within a day, or saying the same problem, as
 * likely duplicates and the rest apart, labelled by what was checked, never called duplicates.
 * Own tables, so the building's cases are only this file's.
 */
const tables = ownTables(uniqueId('triagedup'));
let s: ApiStack;

beforeAll(async () => {
  const deps = testDeps(testEnv(tables));
  await ensureTables(deps.ddb, deps.tables);
  s = await startApiStack({}, { ...tables });
});
afterAll(async () => {
  await s?.stop();
});

const A101 = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
const caseNo = (n: number) => `ZG-2026-${String(700_000 + n).padStart(6, '0')}`;
const day = (n: number) => new Date(Date.parse('2026-03-01T02:00:00.000Z') + n * 3_600_000).toISOString();

const cleanliness = (n: number, over: Partial<ViewSpec>) =>
  view({
    caseId: caseNo(n),
    openedAt: day(n),
    source: 'inspection',
    category: 'cleanliness',
    location: A101,
    title: `卫生 ${n}`,
    ...over,
  });

describe('likely duplicates on a triage card', () => {
  // An open case at the place, opened long before 500 newer cases of the building that have ended.
  const old = cleanliness(0, { stage: 'rectifying', title: '走廊垃圾没有清理' });
  const ended = Array.from({ length: 500 }, (_, i) =>
    cleanliness(10 + i, { stage: i % 7 === 0 ? 'withdrawn' : 'closed' }),
  );
  // Newer and open, but not the report's place or kind: never offered.
  const otherRoom = cleanliness(600, { stage: 'rectifying', location: { ...A101, roomId: 'A102' } });
  const wholeBuilding = cleanliness(601, { stage: 'detected', location: { buildingId: 'bldg-a' } });
  const otherKind = cleanliness(602, { stage: 'analysing', category: 'repair', source: 'repair' });
  const otherBuilding = cleanliness(603, {
    stage: 'rectifying',
    location: { buildingId: 'bldg-b', floorId: 'b-f1', roomId: 'B101' },
  });
  // Open at the place and of the kind, but another problem: offered apart, not as a duplicate.
  const unrelated = cleanliness(650, { stage: 'rectifying', title: '窗台积灰' });
  // The newest of all, open at the place: offered first.
  const newest = cleanliness(700, { stage: 'follow_up', title: '走廊垃圾未清，已堆积' });
  // The probe's B208: a light reported at 08:38 made a case; a second report a minute later, in other words.
  const B208 = { buildingId: 'bldg-b', floorId: 'b-f2', roomId: 'B208' };
  const light = cleanliness(900, {
    stage: 'analysing',
    source: 'repair',
    category: 'repair',
    location: B208,
    title: '报修：宿舍灯一闪一闪的',
    openedAt: '2026-12-08T00:40:00.000Z',
    reportedAt: '2026-12-08T00:38:00.000Z',
  });
  let garbage = '';
  let puddle = '';
  let again = '';

  beforeAll(async () => {
    const all = [old, ...ended, otherRoom, wholeBuilding, otherKind, otherBuilding, unrelated, newest, light];
    await batchWrite(
      s.deps.aws.ddb,
      s.deps.aws.tables.cases,
      all.map((v) => ({ PutRequest: { Item: caseRecordItem(v) } })),
    );
    const report = async (
      description: string,
      receivedAt: string,
      kind: 'cleanliness' | 'repair' = 'cleanliness',
      at = A101,
    ) =>
      (
        await saveReport(s.deps.aws, {
          reportId: newReportId(),
          placeCode: placeCode(at),
          location: at,
          kind,
          description,
          evidence: [],
          receivedAt,
        })
      ).report.reportId;
    garbage = await report('走廊垃圾未清', day(800));
    puddle = await report('地面有积水，容易滑倒', day(801));
    again = await report('B208的灯不亮了，晚上没法看书', '2026-12-08T00:39:00.000Z', 'repair', B208);
  });

  const cardOf = (html: string, reportId: string) =>
    new RegExp(`<article class="card" id="${reportId}"[\\s\\S]*?</article>`).exec(html)?.[0] ?? '';
  const optionsIn = (html: string) =>
    [...html.matchAll(/<option value="(ZG-\d{4}-\d{6})"/g)].map((m) => m[1]);

  it('offers an old open case behind hundreds of newer ended ones, newest first, and nothing else', async () => {
    const sess = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    const res = await s.app.request('/app/triage', { headers: { cookie: `rectify_session=${sess.id}` } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const card = cardOf(html, garbage);
    expect(optionsIn(card)).toEqual([newest.caseId, old.caseId, unrelated.caseId]);
    // The heading calls no case a duplicate: the list's groups say which are likely ones.
    expect(card).toContain('<h3>并入已有案件</h3>');
    const likely =
      /<optgroup label="可能重复（同一房间24小时内的同类报告，或描述用词相近）" data-likely-duplicates[^>]*>([\s\S]*?)<\/optgroup>/.exec(
        card,
      )?.[1];
    expect(optionsIn(likely ?? '')).toEqual([newest.caseId, old.caseId]);
    const others =
      /<optgroup label="此处其他未结案件" data-other-open-cases[^>]*>([\s\S]*?)<\/optgroup>/.exec(card)?.[1];
    expect(optionsIn(others ?? '')).toEqual([unrelated.caseId]);
  });

  it('says what it checked when no case is a likely duplicate, offering them folded away', async () => {
    const sess = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    const res = await s.app.request('/app/triage', {
      headers: { cookie: `rectify_session=${sess.id}`, 'accept-language': 'en' },
    });
    const card = cardOf(await res.text(), puddle);
    expect(card).not.toContain('likely duplicates');
    expect(card).not.toContain('Likely duplicates');
    expect(card).toMatch(
      /<details class="stack" data-other-open-cases[^>]*>\s*<summary>Merge into another open case here \(3; none from this room within 24 hours or in similar wording; judge whether one is the same problem\)<\/summary>/,
    );
    expect(optionsIn(card)).toEqual([newest.caseId, unrelated.caseId, old.caseId]);
  });

  it('offers the case of the same room and kind reported a minute before first, unfolded, whatever its words', async () => {
    const sess = await createSession(s.deps.aws, { personId: 'sup-li', via: 'link' });
    const res = await s.app.request('/app/triage', { headers: { cookie: `rectify_session=${sess.id}` } });
    const card = cardOf(await res.text(), again);
    expect(optionsIn(card)).toEqual([light.caseId]);
    expect(card).toContain('<h3>并入已有案件（可能重复：同一房间24小时内的同类报告，或描述用词相近）</h3>');
    expect(card).not.toContain('<details');
    expect(card).not.toContain('未发现可能重复');
  });

  it('unfolds the other open cases where a refused merge of the card leads', async () => {
    const who = await pageSessions(() => s.deps.aws)('sup-wang');
    const res = await s.app.request(`/app/triage/${puddle}`, {
      method: 'POST',
      headers: { cookie: `rectify_session=${who.id}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action: 'merge', caseId: 'ZG-2026-999999', _csrf: who.csrf }).toString(),
    });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain(`<a href="#${puddle}-case">`);
    expect(cardOf(html, puddle)).toMatch(/<details class="stack" data-other-open-cases[^>]* open/);
  });

  it('reads the open cases of the buildings asked, newest first, and no ended one', async () => {
    const open = await openCasesIn(s.deps.aws.ddb, s.deps.aws.tables, ['bldg-a', 'bldg-a']);
    expect(open.map((v) => v.caseId)).toEqual(
      [newest, unrelated, otherKind, wholeBuilding, otherRoom, old].map((v) => v.caseId),
    );
    const both = await openCasesIn(s.deps.aws.ddb, s.deps.aws.tables, ['bldg-b', 'bldg-a']);
    expect(both.map((v) => v.caseId)).toContain(otherBuilding.caseId);
    expect(both.map((v) => v.caseId)).toContain(light.caseId);
    expect(both).toHaveLength(8);
    expect(await openCasesIn(s.deps.aws.ddb, s.deps.aws.tables, ['area-laundry'])).toEqual([]);
  });
});
