import { describe, expect, it } from 'vitest';
import { weeklyAckStatement } from '../../api/feedback-link-actions.ts';

describe('the weekly acknowledgement statement', () => {
  it('counts one case in the singular and more in the plural, grouped', () => {
    expect(weeklyAckStatement('2026-W49', 1).en).toContain('for week 2026-W49 (1 case), understand');
    expect(weeklyAckStatement('2026-W49', 3).en).toContain('(3 cases)');
    expect(weeklyAckStatement('2026-W49', 1258).en).toContain('(1,258 cases)');
    expect(weeklyAckStatement('2026-W49', 1).zh).toBe(
      '本人已阅读 2026-W49 周的整改反馈（共 1 件案件），知悉其中指出的问题并将改进。',
    );
  });
});
