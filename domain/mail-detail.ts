import { pauseReasonLabels } from './case-clocks.ts';
import { speltRating, surveyAspects } from './survey-questions.ts';
import type { MailHalf } from './mail-document.ts';

/**
 * The text a case mail quotes (its `detail`) as each language's half reads it. The workflow
 * passes some details already joined in both languages: a pause request's reason as
 * "等待配件 Waiting for parts: <note>", a low rating's aspects as "服务态度 Attitude 1/5，…；<comment>".
 * Each half gets its own language's words and punctuation; what a person wrote stays as written.
 * Any other detail is quoted as it is in both halves.
 */
export function detailIn(half: MailHalf, kind: string, detail: string): string {
  if (kind === 'pause_request') return pauseReasonIn(half, detail) ?? detail;
  if (kind === 'reopened') return ratingIn(half, detail) ?? detail;
  return detail;
}

/** "<zh label> <en label>[: note]" as the workflow writes a pause request, in one language. */
function pauseReasonIn(half: MailHalf, detail: string): string | undefined {
  for (const label of Object.values(pauseReasonLabels)) {
    const joined = `${label.zh} ${label.en}`;
    if (!detail.startsWith(joined)) continue;
    const rest = detail.slice(joined.length);
    if (rest !== '' && !rest.startsWith(': ')) continue;
    const note = rest.slice(2).trim();
    if (half === 'zh') return note ? `${label.zh}：${note}` : label.zh;
    return note ? `${label.en}: ${note}` : label.en;
  }
  return undefined;
}

/** A three-aspect rating's comment (surveyComment, now or as stored before) in one language, asking what it asked. */
function ratingIn(half: MailHalf, detail: string): string | undefined {
  const rating = speltRating(detail);
  if (!rating) return undefined;
  const comment = detail.slice(rating.length).trim();
  const aspects = surveyAspects.map((a) => `${rating.questions[a][half]} ${rating.scores[a]}/5`);
  if (half === 'zh') return `${aspects.join('，')}${comment ? `；${comment}` : ''}`;
  return `${aspects.join(', ')}${comment ? `; ${comment}` : ''}`;
}
