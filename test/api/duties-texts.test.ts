import { farDay, startDutyStack, type DutyStack } from '../support/duty-stack.ts';
import { addDays } from '../../domain/calendar.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type ApiStack } from './harness.ts';

/**
 * What the duty routes say: a grid member who may not record a duty is told who may record it
 * (not who may view it), with the building's supervisors called 主管 as everywhere else; the list
 * says plainly which due dates it covers. Own tables and a day of its own far ahead.
 */
const DATE = farDay();
let s: ApiStack;
let id: string;

let duty: DutyStack | undefined;

beforeAll(async () => {
  duty = await startDutyStack('duty-texts', DATE, ['bldg-a'], ['daily-equipment-check']);
  s = duty.s;
  id = duty.ids[0] ?? '';
});
afterAll(async () => {
  await duty?.stop();
});

describe('duty texts', () => {
  it('a grid member recording a duty is told who may record it, supervisors called 主管', async () => {
    const res = await call(s.app, 'POST', `/api/duties/occurrences/${id}/completions`, {
      as: 'grid-a1f',
      body: { note: 'checked', minutes: 10, evidence: [{ kind: 'record', ref: 'records/1.pdf' }] },
    });
    expect(res.status).toBe(403);
    const { detail } = (await res.json()) as { detail: string };
    expect(detail).toContain('只有责任人或楼栋主管可以登记');
    expect(detail).not.toContain('查看');
    expect(detail).not.toContain('督导');
  });

  it('the list says which due dates it covers', async () => {
    const res = await call(s.app, 'GET', `/duties?from=${DATE}&to=${addDays(DATE, 6)}`, { as: 'sup-wang' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`列出截止日期在 ${DATE} 至 ${addDays(DATE, 6)}（含）之间的职责`);
  });
});
