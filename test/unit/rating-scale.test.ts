import { describe, expect, it } from 'vitest';
import { ActionPage } from '../../api/pages/action-page.tsx';
import { ratingScoreLabel, ratingScores } from '../../domain/rating-scale.ts';

describe('the follow-up rating scale', () => {
  it('names its ends in both languages and leaves the middle bare', () => {
    expect(ratingScores.map((n) => ratingScoreLabel(n).zh)).toEqual([
      '5 分（非常满意）',
      '4 分',
      '3 分',
      '2 分',
      '1 分（非常不满意）',
    ]);
    expect(ratingScores.map((n) => ratingScoreLabel(n).en)).toEqual([
      '5 (very satisfied)',
      '4',
      '3',
      '2',
      '1 (very dissatisfied)',
    ]);
  });

  it('is the scale the emailed rate page offers, so the tracking page’s survey reads the same', async () => {
    const html = String(
      await ActionPage({
        lang: 'zh-CN',
        content: {
          title: { zh: '回访', en: 'Follow-up' },
          rows: [],
          statement: { zh: '我已阅读', en: 'I have read' },
          choice: 'rate',
        },
        form: { action: '/actions/t', csrf: 'c', textHash: 'h' },
      }),
    );
    for (const n of ratingScores) {
      expect(html).toContain(ratingScoreLabel(n).zh);
      expect(html).toContain(ratingScoreLabel(n).en);
    }
  });
});
