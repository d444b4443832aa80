/**
 * Triage records a scanned report merged into an open case as a comment on the case, opening with
 * the report's id in both languages. The audit trail reads that opening as the merge (the stored
 * entry stays a comment), so a person's own comment may not open the same way.
 */
export const mergeCommentText = (reportId: string, description: string): string =>
  `并入扫码报告 ${reportId} / merged scanned report ${reportId}：${description}`;

const MERGE_TEXT = /^并入扫码报告 (RP-[0-9A-Z]{10}) \/ merged scanned report \1：([\s\S]*)$/u;

/** The merge a comment records, told by its whole opening (the same id twice); none for any other text. */
export function readMergeComment(text: string): { reportId: string; description: string } | undefined {
  const m = MERGE_TEXT.exec(text);
  return m ? { reportId: m[1]!, description: m[2]! } : undefined;
}

/** Why a person's comment that opens as a merge does is refused. */
export const opensAsMergeRefusal =
  '备注不能以“并入扫码报告 RP-… / merged scanned report RP-…：”开头，这是分派页面并入报告时的记录格式，请改写开头 / a comment may not open with "并入扫码报告 RP-… / merged scanned report RP-…：", the form a triage merge is recorded in: reword its start';
