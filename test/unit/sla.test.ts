import { describe, expect, it } from 'vitest';
import { computeDeadline, createCalendar, type Duration } from '../../domain/calendar.ts';
import {
  DEFAULT_STAGES,
  SLA_CATALOGUE_VERSION,
  resolveSla,
  severities,
  slaLabelNow,
  slaCatalogue,
  slaCategories,
  sources,
  timedStages,
  validateCatalogue,
  type SlaCatalogue,
  type SlaRule,
} from '../../domain/sla.ts';

const minutes = (amount: number): Duration => ({ unit: 'minutes', amount });
const hours = (amount: number): Duration => ({ unit: 'hours', amount });
const days = (amount: number): Duration => ({ unit: 'days', amount });
const workingDays = (amount: number): Duration => ({ unit: 'working_days', amount });

const combinations = sources.flatMap((source) => severities.map((severity) => ({ source, severity })));

describe('catalogue shape', () => {
  it('is versioned', () => {
    expect(SLA_CATALOGUE_VERSION).toBe('2026.3');
    expect(slaCatalogue.version).toBe(SLA_CATALOGUE_VERSION);
  });

  it('has unique ids, a limit for every timed stage, a seed citation and both labels on every rule', () => {
    const ids = slaCatalogue.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of slaCatalogue.rules) {
      expect(Object.keys(rule.stages).sort()).toEqual([...timedStages].sort());
      for (const stage of timedStages) {
        const d = rule.stages[stage];
        expect(['minutes', 'hours', 'days', 'working_days']).toContain(d.unit);
        expect(d.amount).toBeGreaterThanOrEqual(0);
      }
      expect(rule.seed).toMatch(/^00[0-4](\+00[0-4])*$/);
      expect(rule.label.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(rule.label.en.length).toBeGreaterThan(0);
    }
  });

  it('passes its own validation', () => {
    expect(() => validateCatalogue(slaCatalogue)).not.toThrow();
  });

  it('uses the documented defaults where no seed gives a limit', () => {
    expect(DEFAULT_STAGES).toEqual({
      analysing: hours(24),
      awaiting_signoff: workingDays(1),
      adjudicating: workingDays(2),
      rectifying: workingDays(5),
      reviewing: workingDays(2),
      follow_up: days(7),
    });
    for (const rule of slaCatalogue.rules) {
      expect(rule.stages.awaiting_signoff).toEqual(workingDays(1));
      expect(rule.stages.adjudicating).toEqual(workingDays(2));
      expect(rule.stages.reviewing).toEqual(workingDays(2));
      expect(rule.stages.follow_up).toEqual(days(7));
    }
  });

  it('cannot be changed by a caller holding a resolved rule', () => {
    const { rule } = resolveSla({ source: 'repair', severity: 'urgent' });
    expect(Object.isFrozen(rule)).toBe(true);
    expect(Object.isFrozen(rule.stages.analysing)).toBe(true);
    expect(() => {
      rule.stages.analysing.amount = 999;
    }).toThrow(TypeError);
    expect(resolveSla({ source: 'repair', severity: 'urgent' }).rule.stages.analysing).toEqual(minutes(30));
  });
});

describe('resolveSla: every source × severity', () => {
  it.each(combinations)('$source / $severity resolves to a rule for that case', ({ source, severity }) => {
    const { version, rule } = resolveSla({ source, severity });
    expect(version).toBe('2026.3');
    expect(rule.source === undefined || rule.source === source).toBe(true);
    expect(rule.severity === undefined || rule.severity === severity).toBe(true);
    expect(rule.category).toBeUndefined();
  });

  it('gives every major case a 48-hour leadership notice and no other case one', () => {
    for (const { source, severity } of combinations) {
      const { rule } = resolveSla({ source, severity });
      if (severity === 'major') expect(rule.leadershipNotice).toEqual(hours(48));
      else expect(rule.leadershipNotice).toBeUndefined();
    }
  });

  it('never resolves a real source to the fallback', () => {
    for (const c of combinations) expect(resolveSla(c).rule.id).not.toBe('fallback');
  });

  it('is deterministic: the same input gives the same rule object', () => {
    for (const c of combinations) expect(resolveSla(c).rule).toBe(resolveSla(c).rule);
  });
});

describe('rule labels as people read them', () => {
  it('have no colon of their own: pages follow a label with ": …" or put it after "A failed check opens a case: "', () => {
    for (const rule of slaCatalogue.rules) {
      expect(rule.label.en, rule.id).not.toMatch(/[:：]/);
      expect(rule.label.zh, rule.id).not.toMatch(/[:：]/);
    }
    expect(resolveSla({ source: 'repair', severity: 'routine' }).rule.label.en).toBe(
      'General repair, on site within 2 hours; small repairs done within 24 hours.',
    );
  });

  it('a case pinned with an older wording reads the rule as worded now; another version keeps its own', () => {
    const older = {
      version: SLA_CATALOGUE_VERSION,
      ruleId: 'grid_report.safety',
      label: {
        zh: '安全隐患：24小时内响应；影响学生生活和公寓安全的问题24小时内处置完成。',
        en: 'Safety hazard: respond within 24 hours; fixed within 24 hours.',
      },
    };
    expect(slaLabelNow(older)).toEqual(slaCatalogue.rules.find((r) => r.id === 'grid_report.safety')!.label);
    expect(slaLabelNow(older).en).toBe('Safety hazard responded to and fixed within 24 hours.');
    expect(slaLabelNow({ ...older, version: '2025.1' })).toEqual(older.label);
    expect(slaLabelNow({ ...older, ruleId: 'gone' })).toEqual(older.label);
  });
});

describe('resolveSla: the limits the seeds state', () => {
  it('urgent repair: on site within 30 minutes, small repair done within 24 hours (000)', () => {
    const { rule } = resolveSla({ source: 'repair', severity: 'urgent' });
    expect(rule.id).toBe('repair.urgent');
    expect(rule.seed).toBe('000');
    expect(rule.stages.analysing).toEqual(minutes(30));
    expect(rule.stages.rectifying).toEqual(hours(24));
    expect(rule.label.zh).toContain('30分钟内到场');
  });

  it('general repair: on site within 2 hours, done within 24 hours (000)', () => {
    const { rule } = resolveSla({ source: 'repair', severity: 'routine' });
    expect(rule.id).toBe('repair.routine');
    expect(rule.stages.analysing).toEqual(hours(2));
    expect(rule.stages.rectifying).toEqual(hours(24));
    expect(rule.label.zh).toContain('一般维修2小时到场');
  });

  it('major repair: as fast as urgent, plus leadership within 48 hours', () => {
    const { rule } = resolveSla({ source: 'repair', severity: 'major' });
    expect(rule.stages.analysing).toEqual(minutes(30));
    expect(rule.leadershipNotice).toEqual(hours(48));
  });

  it('general complaint: respond within 24 h, written result within 5 working days (002)', () => {
    const { rule } = resolveSla({ source: 'complaint', severity: 'routine' });
    expect(rule.id).toBe('complaint.routine');
    expect(rule.seed).toBe('002');
    expect(rule.stages.analysing).toEqual(hours(24));
    expect(rule.stages.rectifying).toEqual(workingDays(5));
    expect(rule.label.zh).toContain('5个工作日内出具处理结果');
  });

  it('major complaint: handled and answered within 48 hours, leadership informed (002)', () => {
    const { rule } = resolveSla({ source: 'complaint', severity: 'major' });
    expect(rule.id).toBe('complaint.major');
    expect(rule.stages.analysing).toEqual(hours(24));
    expect(rule.stages.rectifying).toEqual(hours(48));
    expect(rule.leadershipNotice).toEqual(hours(48));
    expect(rule.label.zh).toContain('重大投诉在48小时内处理并反馈结果');
  });

  it('urgent complaint: the faster 48-hour limit, without the leadership notice', () => {
    const { rule } = resolveSla({ source: 'complaint', severity: 'urgent' });
    expect(rule.stages.rectifying).toEqual(hours(48));
    expect(rule.leadershipNotice).toBeUndefined();
  });

  it('complaint about staff: recorded before the end of the working day (000)', () => {
    const { rule } = resolveSla({ source: 'complaint', severity: 'routine', category: slaCategories.staff });
    expect(rule.id).toBe('complaint.routine.staff');
    expect(rule.seed).toBe('000');
    expect(rule.stages.analysing).toEqual(workingDays(0));
    expect(rule.label.zh).toContain('下班前上传');
  });

  it('problem during service execution (grid report): respond within 24 h (002)', () => {
    const { rule } = resolveSla({ source: 'grid_report', severity: 'routine' });
    expect(rule.id).toBe('grid_report');
    expect(rule.stages.analysing).toEqual(hours(24));
    expect(rule.leadershipNotice).toBeUndefined();
    const major = resolveSla({ source: 'grid_report', severity: 'major' }).rule;
    expect(major.stages.analysing).toEqual(hours(24));
    expect(major.leadershipNotice).toEqual(hours(48));
    expect(major.label.zh).toContain('重大问题须在48小时内上报校领导');
  });

  it('a safety hazard reported from the wall: on site in 30 minutes when urgent, fixed within 24 hours (000)', () => {
    const at = (severity: (typeof severities)[number]) =>
      resolveSla({ source: 'grid_report', severity, category: slaCategories.safety }).rule;
    expect(at('routine').id).toBe('grid_report.safety');
    expect(at('routine').stages.analysing).toEqual(hours(24));
    expect(at('routine').stages.rectifying).toEqual(hours(24));
    // Triage starts a reported hazard as urgent (domain/intake.ts): the seed's 30 minutes.
    expect(at('urgent').id).toBe('grid_report.urgent.safety');
    expect(at('urgent').stages.analysing).toEqual(minutes(30));
    expect(at('urgent').stages.rectifying).toEqual(hours(24));
    expect(at('urgent').leadershipNotice).toBeUndefined();
    // A major hazard keeps the 30 minutes and also goes to leadership.
    expect(at('major').id).toBe('grid_report.major.safety');
    expect(at('major').stages.analysing).toEqual(minutes(30));
    expect(at('major').leadershipNotice).toEqual(hours(48));
    // Other reported problems keep seed 002's 24 hours, whatever their severity.
    expect(resolveSla({ source: 'grid_report', severity: 'urgent', category: 'cleanliness' }).rule.id).toBe(
      'grid_report',
    );
  });

  it('evaluation finding: rectification within 15 working days (002), whatever the severity', () => {
    for (const severity of severities) {
      const { rule } = resolveSla({ source: 'evaluation', severity });
      expect(rule.seed).toBe('002');
      expect(rule.stages.rectifying).toEqual(workingDays(15));
      expect(rule.label.zh).toContain('15个工作日内制定整改措施');
    }
  });

  it('inspection: analysed within 24 hours, rectified by category with a default (000)', () => {
    const plain = resolveSla({ source: 'inspection', severity: 'routine' }).rule;
    expect(plain.id).toBe('inspection');
    expect(plain.stages.analysing).toEqual(hours(24));
    expect(plain.stages.rectifying).toEqual(DEFAULT_STAGES.rectifying);
    const safety = resolveSla({
      source: 'inspection',
      severity: 'routine',
      category: slaCategories.safety,
    }).rule;
    expect(safety.id).toBe('inspection.safety');
    expect(safety.stages.rectifying).toEqual(hours(24));
    const other = resolveSla({ source: 'inspection', severity: 'routine', category: 'hygiene' }).rule;
    expect(other.id).toBe('inspection');
  });

  it('the evaluation rule and the calendar together give the National Day deadline', () => {
    const { rule } = resolveSla({ source: 'evaluation', severity: 'routine' });
    const due = computeDeadline({
      start: '2026-09-25T10:00:00+08:00',
      duration: rule.stages.rectifying,
      tz: 'Asia/Shanghai',
      calendar: createCalendar(),
    });
    expect(due).toEqual({ due: '2026-10-22T10:00:00.000Z', approximate: false });
  });
});

describe('resolveSla: precedence', () => {
  it('lets severity keep its leadership notice against a category rule', () => {
    expect(resolveSla({ source: 'inspection', severity: 'major', category: 'safety' }).rule.id).toBe(
      'inspection.major.safety',
    );
    expect(resolveSla({ source: 'inspection', severity: 'major', category: 'hygiene' }).rule.id).toBe(
      'inspection.major',
    );
    expect(resolveSla({ source: 'inspection', severity: 'urgent', category: 'safety' }).rule.id).toBe(
      'inspection.safety',
    );
    expect(resolveSla({ source: 'complaint', severity: 'urgent', category: 'staff' }).rule.id).toBe(
      'complaint.urgent',
    );
    expect(resolveSla({ source: 'complaint', severity: 'major', category: 'staff' }).rule.id).toBe(
      'complaint.major',
    );
  });

  it('matches categories exactly', () => {
    expect(resolveSla({ source: 'complaint', severity: 'routine', category: 'Staff' }).rule.id).toBe(
      'complaint.routine',
    );
  });

  const rule = (id: string, key: Partial<Pick<SlaRule, 'source' | 'severity' | 'category'>>): SlaRule => ({
    id,
    ...key,
    seed: '000',
    label: { zh: '测试', en: id },
    stages: { ...DEFAULT_STAGES },
  });

  // Listed least specific first so that order in the list cannot be what decides.
  const ladder: SlaRule[] = [
    rule('fallback', {}),
    rule('cat', { category: 'c' }),
    rule('sev', { severity: 'urgent' }),
    rule('sev+cat', { severity: 'urgent', category: 'c' }),
    rule('src', { source: 'repair' }),
    rule('src+cat', { source: 'repair', category: 'c' }),
    rule('src+sev', { source: 'repair', severity: 'urgent' }),
    rule('src+sev+cat', { source: 'repair', severity: 'urgent', category: 'c' }),
  ];

  it('picks the most specific match: source+severity+category > … > fallback', () => {
    const order = ['src+sev+cat', 'src+sev', 'src+cat', 'src', 'sev+cat', 'sev', 'cat', 'fallback'];
    let remaining = [...ladder];
    for (const expected of order) {
      const catalogue: SlaCatalogue = { version: 'test', rules: remaining };
      expect(resolveSla({ source: 'repair', severity: 'urgent', category: 'c' }, catalogue).rule.id).toBe(
        expected,
      );
      remaining = remaining.filter((r) => r.id !== expected || expected === 'fallback');
    }
  });

  it('does not depend on the order of the rules', () => {
    const reversed: SlaCatalogue = { version: 'test', rules: [...ladder].reverse() };
    const forward: SlaCatalogue = { version: 'test', rules: ladder };
    for (const input of [
      { source: 'repair' as const, severity: 'urgent' as const, category: 'c' },
      { source: 'repair' as const, severity: 'major' as const, category: 'c' },
      { source: 'complaint' as const, severity: 'urgent' as const },
      { source: 'complaint' as const, severity: 'routine' as const, category: 'c' },
      { source: 'complaint' as const, severity: 'routine' as const },
    ]) {
      expect(resolveSla(input, reversed).rule.id).toBe(resolveSla(input, forward).rule.id);
    }
    expect(resolveSla({ source: 'complaint', severity: 'routine' }, forward).rule.id).toBe('fallback');
    expect(resolveSla({ source: 'complaint', severity: 'routine', category: 'c' }, forward).rule.id).toBe(
      'cat',
    );
  });

  it('records the version of the catalogue it resolved from', () => {
    const catalogue: SlaCatalogue = { version: '2099.9', rules: ladder };
    expect(resolveSla({ source: 'evaluation', severity: 'routine' }, catalogue)).toEqual({
      version: '2099.9',
      rule: ladder[0],
    });
  });

  it('fails loudly when a catalogue has nothing for a case', () => {
    const catalogue: SlaCatalogue = { version: 'broken', rules: [rule('src', { source: 'repair' })] };
    expect(() => resolveSla({ source: 'complaint', severity: 'routine' }, catalogue)).toThrow(/broken/);
  });
});

describe('validateCatalogue', () => {
  const base = (
    id: string,
    key: Partial<Pick<SlaRule, 'source' | 'severity' | 'category'>> = {},
  ): SlaRule => ({
    id,
    ...key,
    seed: '002',
    label: { zh: '测试', en: id },
    stages: { ...DEFAULT_STAGES },
  });

  it('refuses two rules for the same case', () => {
    expect(() =>
      validateCatalogue({
        version: 'x',
        rules: [base('fallback'), base('a', { source: 'repair' }), base('b', { source: 'repair' })],
      }),
    ).toThrow(/duplicates/);
  });

  it('refuses duplicate ids', () => {
    expect(() =>
      validateCatalogue({ version: 'x', rules: [base('fallback'), base('fallback', { source: 'repair' })] }),
    ).toThrow(/duplicate rule id/);
  });

  it('refuses a catalogue without a fallback', () => {
    expect(() => validateCatalogue({ version: 'x', rules: [base('a', { source: 'repair' })] })).toThrow(
      /fallback/,
    );
  });

  it('refuses negative limits', () => {
    const bad = base('fallback');
    bad.stages = { ...bad.stages, rectifying: { unit: 'hours', amount: -1 } };
    expect(() => validateCatalogue({ version: 'x', rules: [bad] })).toThrow(/rectifying/);
  });
});

describe('a rule’s label and its limits agree', () => {
  it('no rule says "the same day" of a stage it gives longer than the working day', () => {
    for (const rule of slaCatalogue.rules) {
      const sameDay = /same day/.test(rule.label.en) || /当天分析/.test(rule.label.zh);
      if (sameDay) expect(rule.stages.analysing, rule.id).toEqual(workingDays(0));
    }
    const safety = slaCatalogue.rules.find((r) => r.id === 'inspection.safety');
    expect(safety?.stages.analysing).toEqual(hours(24));
    expect(safety?.label.en).toContain('analysed within 24 hours');
    expect(safety?.label.zh).toContain('24小时内分析原因');
  });
});
