import { describe, expect, it } from 'vitest';
import {
  durationText,
  groupHeading,
  kpiLabelFor,
  promiseStageLabel,
  sourceNotes,
  splitPromises,
} from '../../api/routes/commitment-promises.ts';
import { reportKindInfo, reportKinds } from '../../domain/intake.ts';
import { computeKpis, tallyCases, type KpiValue } from '../../domain/kpi.ts';
import { DEFAULT_STAGES, resolveSla, severities, slaCatalogue, type SlaCatalogue } from '../../domain/sla.ts';

describe('the promises a reporter reads first', () => {
  const { groups, internal } = splitPromises(slaCatalogue);
  const promised = new Set(groups.flatMap((g) => g.rows.map((r) => r.rule.id)));

  it('give every report kind, at every severity, the rule its case would run on', () => {
    expect(groups.flatMap((g) => g.kinds).sort()).toEqual([...reportKinds].sort());
    for (const g of groups)
      for (const kind of g.kinds)
        for (const severity of severities) {
          const row = g.rows.find((r) => r.severities.includes(severity));
          expect(row?.rule, `${kind} ${severity}`).toBe(
            resolveSla({ ...reportKindInfo[kind], severity }).rule,
          );
        }
    expect(promised).toContain('repair.urgent');
    expect(promised).toContain('complaint.routine.staff');
  });

  it('group the kinds handled alike, one row per rule, in the report form’s order', () => {
    expect(groups[0]).toMatchObject({ kinds: ['repair'], source: 'repair' });
    expect(groups[0]?.rows.map((r) => [r.severities, r.rule.id])).toEqual([
      [['routine'], 'repair.routine'],
      [['urgent'], 'repair.urgent'],
      [['major'], 'repair.major'],
    ]);
    // A suggestion is handled as a service complaint: one card for both, not two alike.
    expect(groups.find((g) => g.kinds.includes('service'))?.kinds).toContain('suggestion');
    // Severities under one rule share its row.
    const cleanliness = groups.find((g) => g.kinds.includes('cleanliness'));
    expect(cleanliness?.rows[0]).toMatchObject({
      severities: ['routine', 'urgent'],
      rule: { id: 'grid_report' },
    });
  });

  it('leave the staff’s own limits (inspections, evaluations) to the internal list, the fallback out', () => {
    const ids = internal.map((r) => r.id);
    expect(ids).toEqual(
      expect.arrayContaining(['evaluation', 'evaluation.major', 'inspection', 'inspection.safety']),
    );
    expect(ids.some((id) => promised.has(id))).toBe(false);
    // Every rule but the fallback is on the page.
    expect([...promised, ...ids].sort()).toEqual(
      slaCatalogue.rules
        .filter((r) => r.id !== 'fallback')
        .map((r) => r.id)
        .sort(),
    );
  });

  it('follow the catalogue: a rule added for a report kind is promised, with no list to update', () => {
    const catalogue: SlaCatalogue = {
      version: 'test',
      rules: [
        ...slaCatalogue.rules,
        {
          id: 'grid_report.test-cleanliness',
          source: 'grid_report',
          category: 'cleanliness',
          seed: '000',
          label: { zh: '卫生问题', en: 'Cleanliness' },
          stages: { ...DEFAULT_STAGES },
        },
      ],
    };
    const cleanliness = splitPromises(catalogue).groups.find((g) => g.kinds.includes('cleanliness'));
    expect(cleanliness?.kinds).toEqual(['cleanliness']);
    expect(cleanliness?.rows[0]?.rule.id).toBe('grid_report.test-cleanliness');
  });

  it('are headed by what one reports there', () => {
    const heading = (kind: (typeof reportKinds)[number]) =>
      groupHeading(groups.find((g) => g.kinds.includes(kind))!);
    expect(heading('repair')).toEqual(reportKindInfo.repair.label);
    expect(heading('complaint')).toEqual(reportKindInfo.complaint.label);
    expect(heading('suggestion').zh).toContain(`、${reportKindInfo.suggestion.label.zh}`);
  });
});

describe('a promise’s stages in the reporter’s words', () => {
  it('a repair is someone on site, then fixed; a complaint is responded to, then answered', () => {
    expect(promiseStageLabel('repair', 'analysing')).toEqual({ zh: '到场', en: 'On site' });
    expect(promiseStageLabel('repair', 'rectifying')).toEqual({ zh: '修好', en: 'Fixed' });
    expect(promiseStageLabel('complaint', 'analysing')).toEqual({ zh: '响应', en: 'Response' });
    expect(promiseStageLabel('complaint', 'rectifying').zh).toContain('答复');
    expect(promiseStageLabel('grid_report', 'analysing').zh).toBe('响应');
    expect(promiseStageLabel('grid_report', 'rectifying').zh).toBe('处理完成');
    for (const source of ['repair', 'complaint', 'grid_report'] as const)
      expect(promiseStageLabel(source, 'analysing').zh).not.toContain('分析');
  });

  it('say limits as people do: 30分钟, before the end of the working day', () => {
    expect(durationText({ unit: 'minutes', amount: 30 }, 'zh-CN')).toBe('30分钟');
    expect(durationText({ unit: 'working_days', amount: 5 }, 'en')).toBe('5 working days');
    expect(durationText({ unit: 'working_days', amount: 0 }, 'zh-CN')).toBe('当日下班前');
  });
});

describe('the figures of one building', () => {
  const kpis = computeKpis(tallyCases([]), { buildings: 1 });
  const complaints = kpis.find((k) => k.id === 'valid_complaints_per_building_year')!;

  it('name the yearly complaint count as the building’s own, not the building with the most', () => {
    expect(kpiLabelFor(complaints, true).zh).toBe('本楼本年有效投诉数');
    expect(kpiLabelFor(complaints, true).zh).not.toContain('最多');
    expect(kpiLabelFor(complaints, false)).toEqual(complaints.label);
    const other = kpis.find((k) => k.id === 'repair_satisfaction')!;
    expect(kpiLabelFor(other, true)).toEqual(other.label);
  });

  it('cite each source once, as numbered notes', () => {
    const rows = [{ s: 'A' }, { s: 'B' }, { s: 'A' }] as const;
    const out = sourceNotes(rows, (r) => ({ zh: r.s, en: r.s }), 'zh-CN');
    expect(out).toEqual({ notes: ['A', 'B'], noteOf: [1, 2, 1] });
    const none: KpiValue[] = [];
    expect(sourceNotes(none, (k) => k.label, 'en')).toEqual({ notes: [], noteOf: [] });
  });
});
