import type { Lang } from '../domain/text.ts';
import { ProblemError } from './middleware/problems.ts';

/**
 * The longest period one streamed GET /api/audit/export reads: a year, leap day included. The
 * request holds a connection and reads every case of the period while it streams, so years of
 * trail go to an audit job instead (POST /api/audit/jobs), which runs on the worker and leaves
 * its file in the object store.
 */
export const MAX_EXPORT_PERIOD_DAYS = 366;

const DAY_MS = 86_400_000;
// A run of campus days that crosses a daylight-saving change is an hour longer than its days.
const DST_SLACK_MS = 3_600_000;

/** The whole days [from, to) spans, a part day counted as one. */
export const periodDays = (period: { from: string; to: string }): number =>
  Math.ceil((Date.parse(period.to) - Date.parse(period.from)) / DAY_MS);

/** Null when one streamed export may read the period; else the period's length in days. */
export function overlongExportDays(period: { from: string; to: string }): number | null {
  const span = Date.parse(period.to) - Date.parse(period.from);
  return span <= MAX_EXPORT_PERIOD_DAYS * DAY_MS + DST_SLACK_MS ? null : periodDays(period);
}

/** Refuses (400) a period longer than MAX_EXPORT_PERIOD_DAYS, saying how to ask for it instead. */
export function assertExportablePeriod(period: { from: string; to: string }, lang: Lang): void {
  const days = overlongExportDays(period);
  if (days === null) return;
  const max = MAX_EXPORT_PERIOD_DAYS;
  throw new ProblemError(
    'validation',
    {
      zh: `一次导出最多 ${max} 天，所请求的时段有 ${days} 天。请分成每段不超过 ${max} 天的几次导出，或改用导出任务：POST /api/audit/jobs，正文 {"kind":"period_export","from":"…","to":"…"}，任务在后台运行，完成后从其 downloadUrl 下载`,
      en: `one export covers at most ${max} days and this period spans ${days}. Split it into periods of ${max} days or fewer, or start an export job: POST /api/audit/jobs with {"kind":"period_export","from":"…","to":"…"}, which runs in the background and is downloaded from its downloadUrl when done`,
    },
    [
      {
        field: 'to',
        message: lang === 'en' ? `at most ${max} days after from` : `须在 from 之后 ${max} 天以内`,
      },
    ],
  );
}
