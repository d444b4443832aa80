import type { Context } from 'hono';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { ErrorSummaryBox } from '../error-summary.tsx';

/** The case number field of the verify page: what its summary links to and its error describes. */
export const VERIFY_CASE_FIELD = 'verify-case-id';

export const caseNumberLabel: Bilingual = { zh: '案件编号', en: 'Case number' };

/**
 * Query keys given more than once (`?caseId=A&caseId=B`), each as a person reads it: a page that
 * reads one value would otherwise act on the first and drop the rest unseen.
 */
export function repeatedKeys(
  c: Context,
  labels: Readonly<Record<string, Bilingual>>,
): Record<string, Bilingual> {
  const out: Record<string, Bilingual> = {};
  for (const [key, values] of Object.entries(c.req.queries())) {
    const label = labels[key];
    if (!label || values.length < 2) continue;
    out[key] = {
      zh: `${label.zh}：地址中给了 ${values.length} 个，只能给一个`,
      en: `${label.en}: the address gives ${values.length}; give one`,
    };
  }
  return out;
}

/**
 * The verify page's own form: the case number to verify, with what was wrong with the last one
 * (the summary focused, linking the field; the field marked and described by the error).
 */
export function VerifyCaseForm(props: {
  lang: Lang;
  value?: string | undefined;
  error?: Bilingual | undefined;
}) {
  const { lang, error } = props;
  const t = (b: Bilingual) => inLang(b, lang);
  const errorId = `${VERIFY_CASE_FIELD}-error`;
  return (
    <>
      {error && (
        <ErrorSummaryBox
          lang={lang}
          text={{ zh: '请修改以下内容：', en: 'Please correct the following:' }}
          entries={[{ text: error, href: `#${VERIFY_CASE_FIELD}`, field: 'caseId' }]}
        />
      )}
      <form method="get" action="/app/audit/verify" class="card" aria-labelledby="verify-case-h">
        <h2 id="verify-case-h" style="margin-top:0">
          {t({ zh: '校验一个案件', en: 'Verify one case' })}
        </h2>
        <p class="hint">
          {t({
            zh: '重新计算该案件审计记录的哈希链，并核对其引用的文件。',
            en: 'Recomputes the hash chain of the case’s audit trail and checks the files it cites.',
          })}
        </p>
        <label for={VERIFY_CASE_FIELD}>{t(caseNumberLabel)}</label>
        <input
          id={VERIFY_CASE_FIELD}
          name="caseId"
          value={props.value ?? ''}
          required
          autocomplete="off"
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? errorId : undefined}
        />
        {error && (
          <p class="field-error" id={errorId}>
            {t(error)}
          </p>
        )}
        <div class="actions">
          <button type="submit">{t({ zh: '校验', en: 'Verify' })}</button>
        </div>
      </form>
    </>
  );
}
