import type { ActionContent } from './action-text.ts';
import type { Lang, LocalText } from './problems.ts';

/**
 * Server-rendered pages behind email action links: bilingual (the person's
 * language first, the other beneath), no scripts, nothing loaded from
 * elsewhere.
 */
export const esc = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const pick = (t: LocalText, lang: Lang) => (lang === 'en' ? t.en : t.zh);
const other = (t: LocalText, lang: Lang) => (lang === 'en' ? t.zh : t.en);

const STYLE = `body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f6f5f2;color:#1d1d1f}
main{max-width:42rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin:.2rem 0}.alt{color:#666;font-size:.92em}.brand{color:#b4232a;font-weight:600;letter-spacing:.05em}
table{border-collapse:collapse;width:100%;margin:1rem 0}th{text-align:left;white-space:nowrap;color:#555;padding:.35rem .8rem .35rem 0;vertical-align:top;font-weight:500}
td{padding:.35rem 0;white-space:pre-wrap}blockquote{margin:1rem 0;padding:.8rem 1rem;background:#fbf7e9;border-left:4px solid #d9a400}
fieldset{border:1px solid #ddd;border-radius:6px;margin:1rem 0}label{display:block;margin:.4rem 0}textarea{width:100%;min-height:4rem}
button{background:#b4232a;color:#fff;border:0;padding:.6rem 1.4rem;border-radius:4px;font-size:1rem;cursor:pointer}
.error{background:#fdecea;border-left:4px solid #b4232a;padding:.6rem 1rem}.note{font-size:.85em;color:#666}`;

function page(lang: Lang, outcome: string, title: LocalText, body: string): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><title>${esc(pick(title, lang))} · Rectify</title><style>${STYLE}</style></head>
<body><main data-outcome="${esc(outcome)}"><div class="brand">整改闭环 · Rectify</div>
<h1>${esc(pick(title, lang))}</h1><div class="alt">${esc(other(title, lang))}</div>${body}</main></body></html>`;
}

const para = (t: LocalText, lang: Lang) =>
  `<p>${esc(pick(t, lang))}</p><p class="alt">${esc(other(t, lang))}</p>`;

/** A page that only explains (an unusable link, a refusal, a result). */
export function messagePage(lang: Lang, outcome: string, title: LocalText, message: LocalText): string {
  return page(lang, outcome, title, para(message, lang));
}

const radio = (name: string, value: string, label: LocalText, lang: Lang, checked: boolean) =>
  `<label><input type="radio" name="${name}" value="${esc(value)}"${checked ? ' checked' : ''} required> ${esc(pick(label, lang))} <span class="alt">${esc(other(label, lang))}</span></label>`;

const field = (name: string, label: LocalText, lang: Lang, value = '') =>
  `<label>${esc(pick(label, lang))} <span class="alt">${esc(other(label, lang))}</span><textarea name="${name}" maxlength="2000">${esc(value)}</textarea></label>`;

export interface FormState {
  choice?: string | undefined;
  reason?: string | undefined;
  notes?: string | undefined;
  score?: number | undefined;
  comment?: string | undefined;
}

function choices(kind: ActionContent['choice'], lang: Lang, s: FormState): string {
  switch (kind) {
    case 'sign_off':
      return (
        radio(
          'choice',
          'confirm',
          { zh: '确认问题认定与整改方案', en: 'I confirm the finding and the plan' },
          lang,
          s.choice !== 'dispute',
        ) +
        radio(
          'choice',
          'dispute',
          { zh: '提出异议（须写明理由）', en: 'I dispute it (give a reason)' },
          lang,
          s.choice === 'dispute',
        ) +
        field('reason', { zh: '异议理由', en: 'Reason for the dispute' }, lang, s.reason)
      );
    case 'adjudicate':
      return (
        radio(
          'choice',
          'revise',
          { zh: '退回重新分析（revise）', en: 'Back to analysis (revise)' },
          lang,
          s.choice === 'revise',
        ) +
        radio(
          'choice',
          'proceed',
          { zh: '按原方案整改（proceed）', en: 'Proceed with the plan' },
          lang,
          s.choice === 'proceed',
        ) +
        field('notes', { zh: '裁定说明（必填）', en: 'Notes (required)' }, lang, s.notes)
      );
    case 'rate':
      return (
        [5, 4, 3, 2, 1]
          .map((n) =>
            radio(
              'score',
              String(n),
              {
                zh: `${n} 分${n === 5 ? '（非常满意）' : n === 1 ? '（非常不满意）' : ''}`,
                en: `${n}${n === 5 ? ' (very satisfied)' : n === 1 ? ' (very dissatisfied)' : ''}`,
              },
              lang,
              s.score === n,
            ),
          )
          .join('') + field('comment', { zh: '意见（选填）', en: 'Comment (optional)' }, lang, s.comment)
      );
    case 'acknowledge':
      return '<input type="hidden" name="choice" value="acknowledge">';
  }
}

/** The page with the statement and the form whose POST does the act. */
export function actionPage(
  lang: Lang,
  content: ActionContent,
  form: { action: string; csrf: string; textHash: string; state?: FormState; error?: LocalText | undefined },
): string {
  const rows = content.rows
    .map(
      (r) =>
        `<tr><th>${esc(pick(r.label, lang))}<div class="alt">${esc(other(r.label, lang))}</div></th><td>${esc(r.value)}</td></tr>`,
    )
    .join('');
  const error = form.error ? `<div class="error" role="alert">${para(form.error, lang)}</div>` : '';
  const submit: LocalText = { zh: '签字提交', en: 'Sign and submit' };
  const body = `<table>${rows}</table>
<h2>${esc(pick({ zh: '声明', en: 'Statement' }, lang))}</h2>
<blockquote><p>${esc(pick(content.statement, lang))}</p><p class="alt">${esc(other(content.statement, lang))}</p></blockquote>
${error}<form method="post" action="${esc(form.action)}">
<input type="hidden" name="csrf" value="${esc(form.csrf)}"><input type="hidden" name="textHash" value="${esc(form.textHash)}">
<fieldset>${choices(content.choice, lang, form.state ?? {})}</fieldset>
<button type="submit">${esc(pick(submit, lang))} / ${esc(other(submit, lang))}</button></form>
<p class="note">${esc(pick({ zh: '打开本页不会做任何改动；点击提交后才会签字。签字记录时间、IP、浏览器和上述声明的哈希。链接仅可使用一次。', en: 'Opening this page changes nothing; only the button signs. The signature records time, IP, browser and a hash of the statement above. The link works once.' }, lang))}</p>`;
  return page(lang, 'ready', content.title, body);
}
