import { describe, expect, it } from 'vitest';
import { missedDutyCaseText } from '../../domain/duty-case.ts';
import {
  completionProblem,
  completionSchema,
  duties,
  dutyById,
  evidenceNames,
  evidenceNotTaken,
  newOccurrence,
  ownerNames,
  reminderText,
  windowsOn,
  type DutyCalendar,
  type DutyDefinition,
} from '../../domain/duties.ts';
import type { Bilingual } from '../../domain/text.ts';

const TZ = 'Asia/Shanghai';

describe('duty labels', () => {
  it('a term named in both languages by the calendar gives each reader their half', () => {
    const cal: DutyCalendar = {
      terms: [{ name: '2026-2027学年第一学期 / autumn term 2026', from: '2026-09-07', to: '2027-01-15' }],
      holidays: [],
      isWorkingDay: () => true,
    };
    const termly = duties.find((d) => d.frequency === 'term')!;
    expect(windowsOn(termly, '2026-10-10', cal)[0]?.periodLabel).toEqual({
      zh: '2026-2027学年第一学期',
      en: 'autumn term 2026',
    });
  });
  it('the building’s supervisors are 主管, as everywhere else', () => {
    expect(ownerNames.supervisors.zh).toBe('楼栋主管');
  });
});

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
const duty = (id: string): DutyDefinition => {
  const d = dutyById(id);
  if (!d) throw new Error(`no duty ${id}`);
  return d;
};

describe('what a duty says, each language its own', () => {
  it('every English name, owner, part and evidence name is English only', () => {
    const english = [
      ...duties.flatMap((d) => [d.name.en, d.requirement.en, ...d.parts.map((p) => p.label.en)]),
      ...Object.values(ownerNames).map((n) => n.en),
      ...Object.values(evidenceNames).map((n) => n.en),
    ];
    expect(english.filter((t) => CJK.test(t))).toEqual([]);
    expect(duty('morning-review').name.en).toBe('Morning review meeting');
  });

  it('says when the owners are reminded, as the duty holds it', () => {
    expect(reminderText(duty('fire-drill'))).toEqual({
      zh: '截止前 60 天、14 天、2 天提醒责任人',
      en: 'The owners are reminded 60 days, 14 days and 2 days before it is due',
    });
    expect(reminderText(duty('standing-posts'))).toEqual({
      zh: '截止前 3 小时提醒责任人',
      en: 'The owners are reminded 3 hours before it is due',
    });
    expect(reminderText({ remindBefore: [90] }).en).toBe(
      'The owners are reminded 90 minutes before it is due',
    );
  });
});

describe('evidence a duty does not ask for', () => {
  const parse = (x: unknown) => completionSchema.parse(x);
  it('is refused, naming the kinds the duty takes (or that it takes none)', () => {
    const posts = parse({ part: 'noon', minutes: 40, evidence: [{ kind: 'roster', ref: 'x' }] });
    expect(completionProblem(duty('standing-posts'), posts)).toEqual({
      zh: '该职责不收佐证材料，请不要附核对名单（kind: roster）',
      en: 'this duty takes no evidence: leave out the checked roster (kind: roster)',
    });
    const check = parse({
      evidence: [
        { kind: 'record', ref: 'records/1.pdf' },
        { kind: 'photo', ref: 'p/1.jpg' },
        { kind: 'photo', ref: 'p/2.jpg' },
      ],
    });
    expect(evidenceNotTaken(duty('daily-equipment-check'), check.evidence)).toEqual(['photo']);
    expect(completionProblem(duty('daily-equipment-check'), check)).toEqual({
      zh: '该职责不收照片（kind: photo）；它收的佐证材料：检查记录（kind: record）',
      en: 'this duty takes no photos (kind: photo); the evidence it takes: check record (kind: record)',
    });
  });
});

describe('the case a missed duty opens', () => {
  const occurrence = (dutyId: string, date: string, period?: Bilingual) => {
    const d = duty(dutyId);
    const w = {
      dutyId,
      period: date,
      periodLabel: period ?? { zh: date, en: date },
      opens: date,
      dueDate: date,
    };
    return newOccurrence(d, w, { buildingId: 'bldg-b', ownerIds: ['staff-zhao'], supervisorIds: [] }, TZ);
  };
  const text = (dutyId: string, o: ReturnType<typeof occurrence>) =>
    missedDutyCaseText({
      duty: duty(dutyId),
      occurrence: o,
      building: { zh: '学生公寓B栋', en: 'Dormitory B' },
      citation: { zh: '评价 5', en: 'Evaluation 5' },
      requirement: '现场管理人员晨会',
      timeZone: TZ,
    });

  it('names the duty, building and date in both languages, not the occurrence id', () => {
    const o = occurrence('morning-review', '2026-12-07');
    const { title, description } = text('morning-review', o);
    const first = description.split('\n')[0];
    expect(first).toBe(
      '学生公寓B栋「晨会讲评」截至 2026-12-07 10:00 未完成 / Morning review meeting in Dormitory B was not done by 2026-12-07 10:00',
    );
    expect(description).not.toContain(o.occurrenceId);
    expect(title).toBe('评价 5 晨会讲评逾期未完成 / Evaluation 5: Morning review meeting missed');
  });

  it('says the period of a duty longer than a day', () => {
    const o = occurrence('student-forum', '2026-12-31', { zh: '2026-12', en: '2026-12' });
    expect(text('student-forum', o).description.split('\n')[0]).toBe(
      '学生公寓B栋「学生座谈或访谈」（2026-12）截至 2026-12-31 18:00 未完成 / Student forum or interviews (2026-12) in Dormitory B was not done by 2026-12-31 18:00',
    );
  });
});
