import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  caseActionLabel,
  caseActions,
  entryScore,
  isCaseAction,
  isSurveyScore,
  scoredActions,
  surveyReopens,
  surveyScores,
} from '../../domain/case-action.ts';
import { stages } from '../../domain/case-model.ts';
import { followUpRatings } from '../../domain/kpi.ts';
import { stageLabel, stageLabels } from '../../domain/stage-labels.ts';
import { updateActions } from '../../workflows/rectification-case/messages.ts';

describe('CaseAction', () => {
  it('every action has a Chinese and an English label, none repeated', () => {
    expect(caseActions.length).toBeGreaterThanOrEqual(20);
    for (const a of caseActions) {
      const l = caseActionLabel(a);
      expect(l.zh.trim(), a).not.toBe('');
      expect(l.en.trim(), a).not.toBe('');
    }
    expect(new Set(caseActions.map((a) => caseActionLabel(a).zh)).size).toBe(caseActions.length);
  });

  it('tells case actions from other audit actions and from inherited names', () => {
    expect(isCaseAction('follow_up_rated')).toBe(true);
    expect(isCaseAction('anchored')).toBe(false);
    expect(isCaseAction('toString')).toBe(false);
  });

  it('names every action the case workflow records (no literal outside the union)', () => {
    const dir = new URL('../../workflows/rectification-case/', import.meta.url);
    const recorded = new Set<string>();
    for (const f of [
      'steps.ts',
      'deadlines.ts',
      'workflow.ts',
      'stuck-effects.ts',
      'state.ts',
      'clocks.ts',
      'calendar-change.ts',
    ]) {
      const src = readFileSync(new URL(f, dir), 'utf8');
      for (const m of src.matchAll(/\.record(?:Write)?\(\s*[\w.]+,\s*'([a-z_]+)'/g)) recorded.add(m[1]!);
    }
    expect([...recorded].sort()).toEqual([...caseActions].sort());
  });

  it('names, per update, the actions it records: each a case action, none claimed twice', () => {
    const all = Object.values(updateActions).flat();
    expect(all.every(isCaseAction)).toBe(true);
    expect(new Set(all).size).toBe(all.length);
    expect(Object.keys(updateActions)).toHaveLength(18);
  });

  it('the scored actions are case actions', () => {
    expect(isCaseAction(scoredActions.rated)).toBe(true);
    expect(isCaseAction(scoredActions.reopened)).toBe(true);
  });
});

describe('survey score', () => {
  it('is a whole number from 1 to 5', () => {
    expect(surveyScores).toEqual([1, 2, 3, 4, 5]);
    for (const bad of [0, 6, 2.5, Number.NaN, '3', null, undefined]) expect(isSurveyScore(bad)).toBe(false);
    expect(isSurveyScore(3)).toBe(true);
  });

  it('reopens the case below 3', () => {
    expect(surveyScores.filter(surveyReopens)).toEqual([1, 2]);
  });

  it('reads the typed score, and the old "score N/5" text of records written before it', () => {
    expect(entryScore({ score: 4 })).toBe(4);
    expect(entryScore({ detail: 'score 2/5' })).toBe(2);
    expect(entryScore({ score: 5, detail: 'score 2/5' })).toBe(5);
    expect(entryScore({ detail: 'score 7/5' })).toBeUndefined();
    expect(entryScore({ detail: 'great' })).toBeUndefined();
    expect(entryScore({})).toBeUndefined();
  });

  it('KPIs read old and new timelines alike', () => {
    const ratings = followUpRatings({
      timeline: [
        {
          at: '2026-03-01T00:00:00.000Z',
          actorId: 'reporter:x',
          action: 'follow_up_low_score',
          stage: 'follow_up',
          round: 1,
          detail: 'score 2/5',
        },
        {
          at: '2026-03-02T00:00:00.000Z',
          actorId: 'reporter:x',
          action: 'follow_up_rated',
          stage: 'follow_up',
          round: 2,
          score: 5,
        },
        {
          at: '2026-03-03T00:00:00.000Z',
          actorId: 'u',
          action: 'commented',
          stage: 'closed',
          round: 2,
          detail: 'score 1/5',
        },
      ],
      followUp: { score: 5, at: '2026-03-02T00:00:00.000Z', outcome: 'rated' },
    });
    expect(ratings.map((r) => r.score)).toEqual([2, 5]);
  });
});

describe('stage labels', () => {
  it('one bilingual label per stage', () => {
    expect(Object.keys(stageLabels).sort()).toEqual([...stages].sort());
    for (const s of stages) {
      expect(stageLabel(s).zh).not.toBe('');
      expect(stageLabel(s).en).not.toBe('');
    }
  });
});
