import { describe, expect, it } from 'vitest';
import { splitBilingual } from '../../domain/text.ts';

describe('splitBilingual', () => {
  it('takes the half with Chinese characters as the Chinese, whichever comes first', () => {
    expect(splitBilingual('须为案件编号 / a case number')).toEqual({
      zh: '须为案件编号',
      en: 'a case number',
    });
    expect(splitBilingual('notes are required / 须填写说明')).toEqual({
      zh: '须填写说明',
      en: 'notes are required',
    });
  });

  it('passes over a " / " inside one language to the one between them', () => {
    expect(splitBilingual('a / b are wrong / 甲 / 乙 有误')).toEqual({
      zh: '甲 / 乙 有误',
      en: 'a / b are wrong',
    });
    expect(splitBilingual('甲 / 乙 有误 / a / b are wrong')).toEqual({
      zh: '甲 / 乙 有误',
      en: 'a / b are wrong',
    });
  });

  it('leaves a message in one language, or with an empty half, the same in both', () => {
    expect(splitBilingual('Invalid input')).toEqual({ zh: 'Invalid input', en: 'Invalid input' });
    expect(splitBilingual('无效 / 输入')).toEqual({ zh: '无效 / 输入', en: '无效 / 输入' });
    expect(splitBilingual(' / 无效')).toEqual({ zh: ' / 无效', en: ' / 无效' });
  });
});
