import { describe, expect, it } from 'vitest';
import { mergeCommentText, readMergeComment } from '../../domain/merge-comment.ts';
import { commentSchema } from '../../api/schemas.ts';

describe('the comment a triage merge records', () => {
  it('reads back as the merge it records', () => {
    expect(readMergeComment(mergeCommentText('RP-0123456789', '灯不亮：\n一闪一闪'))).toEqual({
      reportId: 'RP-0123456789',
      description: '灯不亮：\n一闪一闪',
    });
  });

  it('is told only by its whole opening, the same id twice', () => {
    expect(
      readMergeComment('并入扫码报告 RP-0123456789 / merged scanned report RP-9876543210：x'),
    ).toBeUndefined();
    expect(
      readMergeComment('备注：并入扫码报告 RP-0123456789 / merged scanned report RP-0123456789：x'),
    ).toBeUndefined();
    expect(readMergeComment('并入扫码报告 RP-0123456789')).toBeUndefined();
  });

  it('may not be typed by a person as a comment of their own, the trail would read it as a merge', () => {
    const typed = commentSchema.safeParse({ text: `  ${mergeCommentText('RP-0123456789', '其实我写的')}` });
    expect(typed.success).toBe(false);
    expect(typed.error?.issues[0]?.message).toContain('请改写开头');
    expect(commentSchema.safeParse({ text: '并入扫码报告的事请看 RP-0123456789' }).success).toBe(true);
  });
});
