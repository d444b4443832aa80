import { describe, expect, it } from 'vitest';
import { stages } from '../../domain/case-model.ts';
import { reportStatuses, trackedStatus, trackedStatusLabel } from '../../domain/intake.ts';

describe('where a report stands on its tracking page', () => {
  it('is triage’s decision while its case runs, and for a report with no case', () => {
    for (const status of reportStatuses) expect(trackedStatus(status)).toBe(status);
    for (const stage of stages.filter((s) => s !== 'closed' && s !== 'withdrawn')) {
      expect(trackedStatus('case', stage)).toBe('case');
      expect(trackedStatus('merged', stage)).toBe('merged');
    }
  });

  it('is resolved once the case it went to (made or merged into) is closed, and withdrawn when withdrawn', () => {
    expect(trackedStatus('case', 'closed')).toBe('resolved');
    expect(trackedStatus('merged', 'closed')).toBe('resolved');
    expect(trackedStatus('case', 'withdrawn')).toBe('withdrawn');
    expect(trackedStatus('merged', 'withdrawn')).toBe('withdrawn');
  });

  it('never lets a case overrule a report that was not made one', () => {
    expect(trackedStatus('rejected', 'closed')).toBe('rejected');
    expect(trackedStatus('received', 'closed')).toBe('received');
  });

  it('reads "已办结 / Resolved" when resolved', () => {
    expect(trackedStatusLabel.resolved).toEqual({ zh: '已办结', en: 'Resolved' });
    expect(trackedStatusLabel.case.zh).toBe('已立案处理');
  });
});
