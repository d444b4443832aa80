import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitPromises } from '../../api/routes/commitment-promises.ts';
import { slaCatalogue } from '../../domain/sla.ts';
import { caseRecordItem } from '../../store/case-record-item.ts';
import { testView } from '../support/audit-fixtures.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { seedDemo } from '../support/stack.ts';

/**
 * The public commitments page (服务承诺公示) as a student reads it on a phone: the promises of what
 * they can report first, in their words; the staff's own limits folded away; the figures with
 * their sources under the table; one building's complaints counted as its own.
 */
const s = appOnOwnTables('commitments');

// One valid complaint this year in building A, three in building B: B is the campus's most.
beforeAll(async () => {
  await seedDemo(s.deps);
  const now = Date.now();
  const complaint = (n: number, buildingId: string) =>
    s.deps.ddb.send(
      new PutItemCommand({
        TableName: s.deps.tables.cases,
        Item: caseRecordItem({
          ...testView(`ZG-2026-${9_500_000 + n}`, {
            buildingId,
            openedAt: new Date(now - (n + 1) * 60_000).toISOString(),
          }),
          location: { buildingId, floorId: `${buildingId}-f1`, roomId: `${buildingId}-101` },
          source: 'complaint',
        }),
      }),
    );
  await Promise.all([
    complaint(0, 'bldg-a'),
    complaint(1, 'bldg-b'),
    complaint(2, 'bldg-b'),
    complaint(3, 'bldg-b'),
  ]);
});

const page = async (query: string) => {
  const res = await s.app.request(`/commitments${query}`);
  expect(res.status).toBe(200);
  return res.text();
};

/** The text from the first `from` to the first `to` after it. */
function section(html: string, from: string, to: string): string {
  const start = html.indexOf(from);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = html.indexOf(to, start);
  return html.slice(start, end < 0 ? undefined : end);
}

/** Where the folded list of internal limits starts (it runs to the figures' heading). */
function internalAt(html: string): number {
  const at = html.search(/<details[^>]* data-section="internal"/);
  expect(at).toBeGreaterThan(0);
  return at;
}

describe('the commitments page', () => {
  it('puts the promises of what a student can report first, the internal limits folded away', async () => {
    const html = await page('?buildingId=bldg-a');
    const { groups, internal } = splitPromises(slaCatalogue);
    const details = section(html.slice(internalAt(html)), '<details', '</details>');
    const before = html.slice(0, internalAt(html));
    const ruleIds = (part: string) => [...part.matchAll(/data-rule="([^"]+)"/g)].map((m) => m[1]);
    const kindsOf = (part: string) => [...part.matchAll(/data-kinds="([^"]+)"/g)].map((m) => m[1]);
    // A card per kind of report, a row per rule it meets, before anything internal.
    expect(kindsOf(before)).toEqual(groups.map((g) => g.kinds.join(' ')));
    expect(ruleIds(before)).toEqual(groups.flatMap((g) => g.rows.map((r) => r.rule.id)));
    expect(ruleIds(details)).toEqual(internal.map((r) => r.id));
    expect(details).toContain('<summary>更多内部时限</summary>');
    expect(details).not.toMatch(/^<details[^>]* open/);
    expect(ruleIds(before)).not.toContain('evaluation');
    expect(ruleIds(details)).toContain('evaluation');
    expect(html).not.toContain('data-rule="fallback"');
    const en = await page('?buildingId=area-laundry&lang=en');
    expect(en).toContain('<summary>Other internal time limits</summary>');
  });

  it('words a promise’s stages as the student waits on them, not as staff work them', async () => {
    const html = await page('?buildingId=bldg-a');
    const card = (kind: string) => section(html, `data-kinds="${kind}`, '</section>');
    const row = (kind: string, rule: string) => section(card(kind), `data-rule="${rule}"`, '</tr>');
    expect(card('repair')).toMatch(/<th scope="col">到场<\/th><th scope="col">修好<\/th>/);
    expect(row('repair', 'repair.urgent')).toContain('<td>30分钟</td><td>24小时</td>');
    expect(row('repair', 'repair.urgent')).toContain('<span class="badge urgent">紧急</span>');
    expect(card('service')).toMatch(/<th scope="col">响应<\/th><th scope="col">处理并答复<\/th>/);
    // A complaint about a staff member is taken up before the end of the day (seed 000).
    expect(row('complaint', 'complaint.routine.staff')).toContain('<td>当日下班前</td>');
    const promises = html.slice(0, internalAt(html));
    expect(promises).not.toContain('原因分析');
    expect(promises).not.toContain('0个工作日');
    // The standard's own words stay a tap away.
    expect(card('repair')).toMatch(
      /<details><summary>标准原文<\/summary><ul[^>]*>[\s\S]*<li>[^<]*30分钟内到场/,
    );
    const en = await page('?buildingId=area-laundry&lang=en');
    expect(section(en, 'data-kinds="repair', '</section>')).toMatch(
      /<th scope="col">On site<\/th>[\s\S]*<td>30 min<\/td><td>24 h<\/td>/,
    );
    expect(en.slice(0, internalAt(en))).not.toContain('>analysis<');
    expect(en).toContain('by the end of the working day');
  });

  it('keeps the result words whole and the citations out of the figures’ cells', async () => {
    const html = await page('?buildingId=bldg-a');
    const table = section(html, '天的兑现情况', '</table>');
    const rows = [...table.matchAll(/<tr data-kpi="[a-z_0-9]+">([\s\S]*?)<\/tr>/g)].map((m) => m[1] ?? '');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toMatch(/<span class="badge (met|breached|pending)">(达标|未达标|暂无数据)<\/span>/);
      expect(row).not.toContain('《');
      expect(row).toMatch(/<sup><a href="#kpi-source-\d+">\d+<\/a><\/sup>/);
    }
    // Nor do the headers over narrow columns break (实际 read 实 / 际).
    expect(table).toContain('<tr style="white-space:nowrap"><th scope="col">指标</th>');
    // Targets read as people write them.
    expect(table).toMatch(/<td class="num">≥ 90%<\/td>/);
    expect(html).not.toContain('&gt;=');
    // The sources are notes under the table, as the school knows its documents.
    const notes = section(html, '</table>', '</main>');
    expect(notes).toMatch(/<li id="kpi-source-1">/);
    expect(notes).toMatch(/《学生公寓“6T”现场管理标准》检查评估 2、检查评估 9/);
    expect(html).not.toMatch(/seed 0\d\d/);
    const en = await page('?lang=en');
    expect(en).toMatch(/6T standard for student apartments: Evaluation 2, Evaluation 9/);
    expect(en).not.toMatch(/seed 0\d\d/);
  });

  it('counts one building’s complaints as its own; the campus page names the building with the most', async () => {
    const countOf = (html: string) => {
      const row = section(html, 'data-kpi="valid_complaints_per_building_year"', '</tr>');
      return { row, value: /<td class="num">(\d+)<\/td><td>/.exec(row)?.[1] };
    };
    const a = countOf(await page('?buildingId=bldg-a'));
    expect(a.row).toContain('本楼本年有效投诉数');
    expect(a.row).not.toContain('最多');
    expect(a.value).toBe('1');
    const b = countOf(await page('?buildingId=bldg-b&lang=en'));
    expect(b.row).toContain('Valid complaints about this building this year');
    expect(b.value).toBe('3');
    const all = countOf(await page(''));
    expect(all.row).toContain('取最多的楼栋');
    expect(all.value).toBe('3');
  });
});
