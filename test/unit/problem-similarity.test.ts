import { describe, expect, it } from 'vitest';
import { problemTerms, sameProblem, termOverlap } from '../../domain/problem-similarity.ts';

describe('the same problem in two texts', () => {
  it('is read from pairs of Chinese characters and English words, generic ones and numbers left out', () => {
    expect([...problemTerms('宿舍的水龙头漏水了')]).toEqual(['水龙', '龙头', '头漏', '漏水']);
    expect([...problemTerms('Room A101: the tap leaks, 3 days')]).toEqual(['tap', 'leaks']);
    expect(problemTerms('报修 宿舍 问题')).toEqual(new Set());
  });

  it('is the share of the shorter text’s terms the other uses too', () => {
    expect(termOverlap(new Set(['a', 'b']), new Set(['b', 'c', 'd', 'e']))).toBe(0.5);
    expect(termOverlap(new Set(), new Set(['a']))).toBe(0);
  });

  it('takes a rewording of the same fault, not another fault in the same room', () => {
    expect(sameProblem('空调不制冷', '空调坏了，完全不制冷')).toBe(true);
    expect(sameProblem('水龙头漏水', '卫生间水龙头一直在漏水')).toBe(true);
    expect(sameProblem('走廊灯不亮', '走廊垃圾没人清理')).toBe(false);
    expect(sameProblem('门锁坏了', '窗户坏了')).toBe(false);
    expect(sameProblem('宿舍问题，希望尽快处理', '宿舍问题，希望尽快处理')).toBe(false);
  });
});
