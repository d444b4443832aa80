import { describe, expect, it } from 'vitest';
import { asBilingual } from '../../api/pages/link-page.tsx';

describe('a refusal on a link page', () => {
  it('gives each reader their half of a case refusal written in both languages', () => {
    // As checkStep (domain/case-model.ts) words a step refused for the stage.
    const message =
      'step adjudication is not open while the case is rectifying / 案件当前处于「整改中」，不能执行此操作';
    expect(asBilingual(message)).toEqual({
      zh: '案件当前处于「整改中」，不能执行此操作',
      en: 'step adjudication is not open while the case is rectifying',
    });
    expect(asBilingual({ zh: '甲', en: 'a' })).toEqual({ zh: '甲', en: 'a' });
    expect(asBilingual('only one language')).toEqual({ zh: 'only one language', en: 'only one language' });
  });
});
