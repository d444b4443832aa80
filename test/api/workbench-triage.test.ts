import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { createSession } from '../../store/sessions.ts';
import { claimTriage, newReportId, saveReport, triageQueue } from '../../store/reports.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import { startApiStackOn, type ApiStack } from './harness.ts';

/**
 * A supervisor's workbench says how many scanned reports wait for them to triage, with the
 * triage page a click away: before, it read "等我处理 (0) 目前没有等您处理的案件" with reports
 * waiting (the probe's sup-li). Own tables, so the queues hold only this file's reports.
 */
let s: ApiStack;

beforeAll(async () => {
  s = await startApiStackOn(ownTables(uniqueId('wbtriage')));
});
afterAll(async () => {
  await s?.stop();
});

async function seed(location: { buildingId: string; floorId: string; roomId: string }, minute: number) {
  const { report } = await saveReport(s.deps.aws, {
    reportId: newReportId(),
    placeCode: placeCode(location),
    location,
    kind: 'repair',
    description: `灯不亮 ${minute}`,
    evidence: [],
    receivedAt: new Date(Date.parse('2026-11-02T01:00:00.000Z') + minute * 60_000).toISOString(),
  });
  return report;
}

async function workbench(personId: string, lang = 'zh-CN') {
  const sess = await createSession(s.deps.aws, { personId, via: 'link' });
  const res = await s.app.request('/app', {
    headers: { cookie: `rectify_session=${sess.id}`, 'accept-language': lang },
  });
  expect(res.status).toBe(200);
  return res.text();
}

const section = (html: string) =>
  /<section class="card" aria-labelledby="triage-waiting" data-section="triage">[\s\S]*?<\/section>/.exec(
    html,
  )?.[0];

describe('the workbench of someone who triages', () => {
  beforeAll(async () => {
    const B208 = { buildingId: 'bldg-b', floorId: 'b-f2', roomId: 'B208' };
    await seed(B208, 0);
    await seed(B208, 1);
    const decided = await seed(B208, 2);
    // One being decided by sup-li now: neither waiting nor counted, said apart.
    await claimTriage(s.deps.aws, decided.reportId, 'sup-li');
    await seed({ buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' }, 3);
  });

  it('counts the reports waiting in their buildings as the triage page does, and links to it', async () => {
    const html = await workbench('sup-li');
    const card = section(html);
    expect(card).toBeDefined();
    expect(card).toContain('待分派的报告');
    expect(card).toContain('data-count="2"');
    expect(card).toContain('您负责分派的楼栋有 2 条扫码报告等待分派');
    expect(card).toContain('另有 1 条正在处理中。');
    expect(card).toContain('<a class="button" href="/app/triage">打开分派页面</a>');
    // The same read as the triage page.
    expect((await triageQueue(s.deps.aws, ['bldg-b', 'area-canteen-1'])).total).toBe(2);
    // Before "Waiting for me", which counts cases only.
    expect(html.indexOf('data-section="triage"')).toBeLessThan(html.indexOf('data-section="waiting"'));
    const en = section(await workbench('sup-li', 'en'))!;
    expect(en).toContain('2 scanned reports wait for triage in your buildings');
    expect(en).toContain('1 more is being decided.');
    expect(en).toContain('Open the triage page');
  });

  it("counts each person's own buildings: a level-1 grid member's, the working group's all", async () => {
    expect(section(await workbench('sup-wang'))).toContain('data-count="1"');
    expect(section(await workbench('grid-a1'))).toContain('data-count="1"');
    expect(section(await workbench('wg-chen'))).toContain('data-count="3"');
  });

  it('is not shown to someone who triages nowhere', async () => {
    expect(section(await workbench('staff-zhou'))).toBeUndefined();
    expect(section(await workbench('audit-he'))).toBeUndefined();
  });
});
