// The case page's step forms (root cause, rectification, review, adjudication, withdrawal, comment),
// each filled with what was sent when it comes back refused, and the steps a person may take now.
import { randomUUID } from 'node:crypto';
import { MAX_EVIDENCE_BYTES, parseEvidenceRef } from '../../../store/evidence.ts';
import { MAX_COMMENT_LENGTH, type CaseView, type StepName } from '../../../domain/case-model.ts';
import type { Directory } from '../../../domain/directory.ts';
import { personChoiceLabels } from '../../../domain/person-option.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import type { Caller } from '../../auth.ts';
import { stepRefusal } from '../../case-service.ts';
import type { AppDeps } from '../../deps.ts';
import { Field, TextAreaField, type FieldErrors } from '../ui.tsx';
import { FORM_STEPS, StepCard, type FormState, type FormStep } from './case-form-state.tsx';

/** At most this many root causes of 1000 characters each (rootCauseSchema). */
const ROOT_CAUSES_MAX = 20;

/** Photos one step may carry in a form post without JavaScript. */
export const MAX_PHOTOS = 5;

export const stepPaths: Record<FormStep, string> = {
  root_cause: 'root-cause',
  rectification: 'rectification',
  review: 'review',
  adjudication: 'adjudication',
  withdraw: 'withdraw',
  comment: 'comment',
};

/** Each step form's heading, also how the page's error summary names the form. */
export const stepTitles: Record<FormStep, Bilingual> = {
  root_cause: { zh: '原因分析（5 个为什么）与整改方案', en: 'Root cause (five whys) and plan' },
  rectification: { zh: '报告整改完成', en: 'Report the rectification' },
  review: { zh: '复查', en: 'Review' },
  adjudication: { zh: '异议裁定', en: 'Adjudicate the dispute' },
  withdraw: { zh: '撤销案件', en: 'Withdraw the case' },
  comment: { zh: '添加备注', en: 'Add a comment' },
};

/**
 * Each step form's fields in the order the form shows them, so its error summary lists them in
 * that order too (not in the order the checks happened to find them).
 */
export const stepFieldOrder: Record<FormStep, readonly string[]> = {
  root_cause: ['why1', 'why2', 'why3', 'why4', 'why5', 'causes', 'responsibleId', 'plan'],
  rectification: ['summary', 'photos', 'evidenceText'],
  review: ['passed', 'notes', 'photos'],
  adjudication: ['decision', 'notes'],
  withdraw: ['reason'],
  comment: ['text'],
};

/** A form's field errors in its fields' order; any field it does not list keeps its place after them. */
export function inFieldOrder<T>(step: string, entries: [string, T][]): [string, T][] {
  const order: readonly string[] = (stepFieldOrder as Record<string, readonly string[]>)[step] ?? [];
  const rank = (k: string) => {
    const i = order.indexOf(k.replace(/\.\d+$/, ''));
    return i === -1 ? order.length : i;
  };
  return entries
    .map((e, n) => [e, n] as const)
    .sort(([a, n], [b, m]) => rank(a[0]) - rank(b[0]) || n - m)
    .map(([e]) => e);
}

/** The steps `viewer` may take on the case now, by the one rule. */
export function allowedSteps(deps: AppDeps, dir: Directory, viewer: Caller, view: CaseView): FormStep[] {
  return FORM_STEPS.filter((s: StepName) => stepRefusal(deps, dir, viewer, s, view) === null);
}

// With JavaScript, photos go straight to the store: presign, PUT, confirm, and the returned
// reference rides in a hidden field. Without it (or if this fails) the files post with the form.
export const PHOTO_SCRIPT = `(function(){
var token=document.querySelector('meta[name=csrf-token]');token=token&&token.content;
var en=document.documentElement.lang==='en';
function removable(box){var b=box.querySelector('button[data-remove]');if(b)b.addEventListener('click',function(){box.parentNode.removeChild(box);});}
document.querySelectorAll('[data-kept-photo]').forEach(removable);
document.querySelectorAll('input[type=file][data-case]').forEach(function(input){
  var status=document.getElementById(input.id+'-status'),caseId=input.dataset.case,list=document.getElementById(input.id+'-previews');
  function say(t){if(status)status.textContent=t;}
  function fail(r){return r.json().then(function(p){throw new Error(p.detail||r.status)},function(){throw new Error(String(r.status))});}
  input.addEventListener('change',function(){
    var files=Array.prototype.slice.call(input.files||[]);if(!files.length)return;
    say(en?'Uploading…':'正在上传…');
    var jobs=files.map(function(file){
      return fetch('/api/cases/'+encodeURIComponent(caseId)+'/evidence',{method:'POST',credentials:'same-origin',headers:{'Content-Type':'application/json','X-CSRF-Token':token},body:JSON.stringify({fileName:file.name,contentType:file.type,size:file.size})})
      .then(function(r){return r.ok?r.json():fail(r);})
      .then(function(up){return fetch(up.uploadUrl,{method:'PUT',headers:up.headers,body:file}).then(function(r){if(!r.ok)throw new Error('PUT '+r.status);return up;});})
      .then(function(up){return fetch(up.confirmUrl,{method:'POST',credentials:'same-origin',headers:{'X-CSRF-Token':token}}).then(function(r){return r.ok?r.json():fail(r);});})
      .then(function(done){
        var box=document.createElement('label');box.className='kept-photo';box.setAttribute('data-kept-photo','');
        var keep=document.createElement('input');keep.type='checkbox';keep.name='evidence[]';keep.value=done.ref;keep.checked=true;box.appendChild(keep);
        var img=document.createElement('img');img.src=URL.createObjectURL(file);img.alt=file.name;box.appendChild(img);
        var rm=document.createElement('button');rm.type='button';rm.className='secondary';rm.setAttribute('data-remove','');rm.textContent=en?'Remove':'移除';rm.setAttribute('aria-label',(en?'Remove ':'移除 ')+file.name);box.appendChild(rm);
        if(list)list.appendChild(box);removable(box);return null;
      },function(e){return file.name+(en?': ':'：')+e.message;});
    });
    Promise.all(jobs).then(function(out){
      // Uploaded or not, no file rides with the form as well: a good one is attached above, a failed one is chosen again.
      input.value='';
      var failed=out.filter(Boolean),ok=out.length-failed.length;
      say((en?'Uploaded: '+ok:'已上传 '+ok+' 个')+(failed.length?(en?'. Not uploaded (choose them again): ':'。未上传（请重新选择）：')+failed.join(en?'; ':'；'):''));
    });
  });
});
})();`;

function PhotoInput(props: {
  name: string;
  caseId: string;
  lang: Lang;
  errors: FieldErrors;
  idPrefix: string;
  /** Photos already stored for this form (it came back with an error): kept unless unticked. */
  kept?: string[] | undefined;
}) {
  const id = `${props.idPrefix}-photos`;
  const t = (zh: string, en: string) => inLang({ zh, en }, props.lang);
  return (
    <Field
      lang={props.lang}
      errors={props.errors}
      idPrefix={props.idPrefix}
      name="photos"
      label={{ zh: '照片', en: 'Photos' }}
      hint={{
        zh: `可拍照或选择文件，最多 ${MAX_PHOTOS} 个，每个不超过 ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB（JPEG、PNG、WebP、PDF）`,
        en: `take or choose up to ${MAX_PHOTOS} files, ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB each (JPEG, PNG, WebP, PDF)`,
      }}
      control={(a) => (
        <>
          <input
            {...a}
            id={id}
            name={props.name}
            type="file"
            accept="image/*,application/pdf"
            capture="environment"
            multiple
            data-case={props.caseId}
          />
          <p id={`${id}-status`} class="hint" aria-live="polite"></p>
          <div id={`${id}-previews`} class="thumbs">
            {(props.kept ?? []).flatMap((ref, n) => {
              const p = parseEvidenceRef(ref);
              if (!p) return [];
              const label = `${t('已上传的照片', 'Uploaded photo')} ${n + 1}`;
              return [
                // Without JavaScript, untick to leave the photo out; with it, Remove takes it away.
                <label class="kept-photo" data-kept-photo>
                  <input type="checkbox" name="evidence[]" value={ref} checked aria-label={label} />
                  <img src={`/api/evidence/${p.evidenceId}`} alt={label} />
                  <button
                    type="button"
                    class="secondary"
                    data-remove
                    aria-label={`${t('移除', 'Remove')} ${label}`}
                  >
                    {t('移除', 'Remove')}
                  </button>
                </label>,
              ];
            })}
          </div>
        </>
      )}
    />
  );
}

export function StepForm(props: {
  step: FormStep;
  view: CaseView;
  dir: Directory;
  lang: Lang;
  csrfToken: string;
  state: FormState | null;
}) {
  const { step, view, dir, lang } = props;
  const t = (zh: string, en: string) => inLang({ zh, en }, lang);
  const mine = props.state?.step === step ? props.state : null;
  const values = mine?.values ?? {};
  const errors = mine?.errors ?? {};
  const idPrefix = step;
  const common = { lang, errors, idPrefix };
  const multipart = step === 'rectification' || step === 'review';
  const action = `/app/cases/${encodeURIComponent(view.caseId)}/${stepPaths[step]}`;
  let fields;
  switch (step) {
    case 'root_cause': {
      const staff = dir.people.filter((p) => p.roles.includes('staff'));
      const current = values.responsibleId ?? view.rootCause?.responsibleId ?? view.assigneeId;
      // Name and trade, not the directory's id (the option's value).
      const staffLabels = personChoiceLabels(staff, lang, dir.departments);
      fields = (
        <>
          <fieldset>
            <legend>
              {t(
                '5 个为什么：逐层追问，直到找到根本原因',
                'Five whys: ask why, layer by layer, to the root cause',
              )}
            </legend>
            {[1, 2, 3, 4, 5].map((n) => (
              <Field
                {...common}
                name={`why${n}`}
                label={{ zh: `为什么 ${n}`, en: `Why ${n}` }}
                hint={
                  n === 1
                    ? { zh: '问题为什么会发生？', en: 'why did the problem happen?' }
                    : {
                        zh: '上一条为什么会发生？（可选）',
                        en: 'why did the answer above happen? (optional)',
                      }
                }
                control={(a) => <input {...a} type="text" maxlength={1000} value={values[`why${n}`] ?? ''} />}
              />
            ))}
          </fieldset>
          {/* The schema's bound: 20 causes of 1000 characters, one per line. */}
          <TextAreaField
            {...common}
            name="causes"
            label={{ zh: '根本原因', en: 'Root causes' }}
            hint={{ zh: '每行一条，最多 20 条', en: 'one per line, at most 20' }}
            required
            maxLength={ROOT_CAUSES_MAX * 1001 - 1}
            value={values.causes}
          />
          <Field
            {...common}
            name="responsibleId"
            label={{ zh: '责任人', en: 'Responsible staff member' }}
            control={(a) => (
              <select {...a} required>
                {staff.map((p) => (
                  <option value={p.id} selected={current === p.id}>
                    {staffLabels.get(p.id)}
                  </option>
                ))}
              </select>
            )}
          />
          <TextAreaField
            {...common}
            name="plan"
            label={{ zh: '整改方案', en: 'Rectification plan' }}
            required
            maxLength={5000}
            value={values.plan}
          />
        </>
      );
      break;
    }
    case 'rectification':
      fields = (
        <>
          <TextAreaField
            {...common}
            name="summary"
            label={{ zh: '整改情况', en: 'What was done' }}
            required
            maxLength={5000}
            value={values.summary}
          />
          <PhotoInput
            name="photos[]"
            caseId={view.caseId}
            lang={lang}
            errors={errors}
            idPrefix={idPrefix}
            kept={mine?.photos}
          />
          <Field
            {...common}
            name="evidenceText"
            label={{ zh: '其他证据（可选）', en: 'Other evidence (optional)' }}
            hint={{
              zh: '如维修单号，每行一条；没有照片时必填',
              en: 'e.g. a work order number, one per line; needed when there is no photo',
            }}
            control={(a) => <textarea {...a}>{values.evidenceText ?? ''}</textarea>}
          />
        </>
      );
      break;
    case 'review':
      fields = (
        <>
          <fieldset aria-invalid={errors.passed ? 'true' : undefined}>
            <legend>{t('复查结果', 'Result')}</legend>
            {/* Nothing chosen for the reviewer: a stray submit must not pass a case. */}
            <label>
              <input
                id={`${idPrefix}-passed`}
                type="radio"
                name="passed"
                value="true"
                required
                checked={values.passed === 'true'}
              />{' '}
              {t('合格，进入回访/结案', 'Passed: on to follow-up / closing')}
            </label>
            <label>
              <input type="radio" name="passed" value="false" checked={values.passed === 'false'} />{' '}
              {t('不合格，退回整改', 'Failed: back to rectification')}
            </label>
            {errors.passed && <p class="field-error">{inLang(errors.passed, lang)}</p>}
          </fieldset>
          <TextAreaField
            {...common}
            name="notes"
            label={{ zh: '复查说明', en: 'Notes' }}
            hint={{ zh: '不合格时必填', en: 'required when it fails' }}
            maxLength={4000}
            value={values.notes}
          />
          <PhotoInput
            name="photos[]"
            caseId={view.caseId}
            lang={lang}
            errors={errors}
            idPrefix={idPrefix}
            kept={mine?.photos}
          />
        </>
      );
      break;
    case 'adjudication':
      fields = (
        <>
          <fieldset>
            <legend>{t('裁定', 'Decision')}</legend>
            <label>
              <input type="radio" name="decision" value="proceed" checked={values.decision !== 'revise'} />{' '}
              {t('维持认定，继续整改', 'Uphold the finding: proceed to rectification')}
            </label>
            <label>
              <input type="radio" name="decision" value="revise" checked={values.decision === 'revise'} />{' '}
              {t('异议成立，重新分析', 'The dispute stands: analyse again')}
            </label>
          </fieldset>
          <TextAreaField
            {...common}
            name="notes"
            label={{ zh: '裁定理由', en: 'Reasons' }}
            required
            maxLength={5000}
            value={values.notes}
          />
        </>
      );
      break;
    case 'withdraw':
      fields = (
        <TextAreaField
          {...common}
          name="reason"
          label={{ zh: '撤销原因', en: 'Reason' }}
          required
          maxLength={2000}
          value={values.reason}
        />
      );
      break;
    case 'comment':
      fields = (
        <TextAreaField
          {...common}
          name="text"
          label={{ zh: '备注内容', en: 'Comment' }}
          hint={{ zh: `最多 ${MAX_COMMENT_LENGTH} 字`, en: `up to ${MAX_COMMENT_LENGTH} characters` }}
          required
          // A browser's maxlength counts UTF-16 units, which would stop 500 characters of emoji
          // at 250: it only bounds the units 500 characters can take; the server counts characters.
          maxLength={MAX_COMMENT_LENGTH * 2}
          value={values.text}
        />
      );
      break;
  }
  return (
    <StepCard
      step={step}
      title={stepTitles[step]}
      lang={lang}
      formError={errors._form}
      action={action}
      multipart={multipart}
      csrfToken={props.csrfToken}
      submit={step === 'withdraw' ? { zh: '撤销案件', en: 'Withdraw' } : { zh: '提交', en: 'Submit' }}
      danger={step === 'withdraw'}
    >
      {/* One key per rendering of the form: the same submission sent twice is taken once. */}
      <input type="hidden" name="submissionKey" value={values.submissionKey ?? randomUUID()} />
      {fields}
    </StepCard>
  );
}
