// Longer than most modules because one page holds every step form and the merged timeline, so which forms a person sees is decided in one place.
import { formOr400 } from '../../form-body.ts';
import { randomUUID } from 'node:crypto';
import { claimIdempotencyKey, findClaim, releaseKey, reserveKey } from '../../../store/idempotency.ts';
import { idempotencyKeySchema } from '../../schemas.ts';
import type { Hono } from 'hono';
import { createContext, useContext } from 'hono/jsx';
import { stepSeqs } from '../../../audit/scan.ts';
import { readChain } from '../../../store/audit-chain.ts';
import {
  EVIDENCE_REF_PATTERN,
  EvidenceError,
  MAX_EVIDENCE_BYTES,
  citedEvidenceProblem,
  evidenceTypesIn,
  parseEvidenceRef,
  putEvidence,
} from '../../../store/evidence.ts';
import { caseCitation } from '../../../domain/case-citation.ts';
import { reportedAtOf } from '../../../domain/case-clocks.ts';
import { categoryLabel } from '../../../domain/intake.ts';
import { MAX_COMMENT_LENGTH, type CaseView, type StepName } from '../../../domain/case-model.ts';
import type { Directory } from '../../../domain/directory.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import {
  addCommentUpdate,
  adjudicateUpdate,
  reportRectificationUpdate,
  reviewUpdate,
  submitRootCauseUpdate,
  withdrawUpdate,
} from '../../../workflows/rectification-case/messages.ts';
import type { Caller } from '../../auth.ts';
import { readCaseFor, rootCauseInput, stepRefusal, takeStep } from '../../case-service.ts';
import { reportsOfCase } from '../../../store/reports.ts';
import type { AppDeps } from '../../deps.ts';
import { directoryOrFail } from '../../reads.ts';
import type { WebEnv } from '../../middleware/session.ts';
import { describeEntry, summariseHistory, type HistorySummary } from '../../audit-timeline.ts';
import {
  adjudicationSchema,
  commentSchema,
  rectificationSchema,
  reviewSchema,
  rootCauseSchema,
  withdrawSchema,
} from '../../schemas.ts';
import {
  Csrf,
  StateCell,
  DeadlineDue,
  Field,
  SeverityBadge,
  StageBadge,
  formatTime,
  sourceLabels,
  stageLabels,
  type FieldErrors,
  type FlashMessage,
} from '../ui.tsx';
import { allowedHandling, CaseClocks, HandlingForms } from './case-handling-page.tsx';
import type { HandlingStep } from '../../../domain/case-handling.ts';
import { describedPhotos, refsIn } from '../description-photos.ts';
import {
  formValues,
  page,
  parseForm,
  redirectWithFlash,
  refusalOf,
  REPEATED_FIELD,
  repeatedFields,
  takeUnsaved,
  viewerOf,
  caseIdOf,
  type WebContext,
} from './web-kit.tsx';

/**
 * /app/cases/{caseId}: the case, its deadlines, one merged timeline, and the
 * forms of exactly the steps this person may take now. Which steps is
 * decided by the same rule the API and the workflow use (case-service's
 * stepRefusal → domain checkStep); every POST goes through the same workflow
 * updates as the API (case-service takeStep), then back here with a flash.
 */

/** At most this many root causes of 1000 characters each (rootCauseSchema). */
const ROOT_CAUSES_MAX = 20;

/** Photos one step may carry in a form post without JavaScript. */
export const MAX_PHOTOS = 5;
/** The steps whose forms may carry photos (and so a larger body). */
export const PHOTO_STEP_PATH = /^\/app\/cases\/[^/]+\/(rectification|review)$/;

/** The steps that have a form on this page; sign-off is signed through the emailed link. */
const FORM_STEPS = ['root_cause', 'rectification', 'review', 'adjudication', 'withdraw', 'comment'] as const;
type FormStep = (typeof FORM_STEPS)[number];

const stepPaths: Record<FormStep, string> = {
  root_cause: 'root-cause',
  rectification: 'rectification',
  review: 'review',
  adjudication: 'adjudication',
  withdraw: 'withdraw',
  comment: 'comment',
};

const stepTitles: Record<FormStep, Bilingual> = {
  root_cause: { zh: '原因分析（5 个为什么）与整改方案', en: 'Root cause (five whys) and plan' },
  rectification: { zh: '报告整改完成', en: 'Report the rectification' },
  review: { zh: '复查', en: 'Review' },
  adjudication: { zh: '异议裁定', en: 'Adjudicate the dispute' },
  withdraw: { zh: '撤销案件', en: 'Withdraw the case' },
  comment: { zh: '添加备注', en: 'Add a comment' },
};

/** The step forms' fields as their labels read (by the schema's paths), so a message names its field. */
const fieldLabels: Record<string, Bilingual> = {
  ...Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`whys.${n - 1}`, { zh: `为什么 ${n}`, en: `Why ${n}` }])),
  causes: { zh: '根本原因', en: 'Root causes' },
  responsibleId: { zh: '责任人', en: 'Responsible staff member' },
  plan: { zh: '整改方案', en: 'Rectification plan' },
  summary: { zh: '整改情况', en: 'What was done' },
  text: { zh: '备注内容', en: 'Comment' },
};
const isStaff = (dir: Directory, id: string) =>
  dir.people.some((p) => p.id === id && p.roles.includes('staff'));
const stepLabels = (extra: Record<string, Bilingual> = {}) => ({ ...fieldLabels, ...extra });

/** The steps `viewer` may take on the case now, by the one rule. */
export function allowedSteps(deps: AppDeps, dir: Directory, viewer: Caller, view: CaseView): FormStep[] {
  return FORM_STEPS.filter((s: StepName) => stepRefusal(deps, dir, viewer, s, view) === null);
}

const personName = (dir: Directory, id: string) => dir.people.find((p) => p.id === id)?.name ?? id;

function placeOf(dir: Directory, v: CaseView, lang: Lang): string {
  const b = dir.buildings.find((x) => x.id === v.location.buildingId);
  const f = b?.floors.find((x) => x.id === v.location.floorId);
  return [
    b ? inLang(b.name, lang) : v.location.buildingId,
    f ? inLang(f.name, lang) : v.location.floorId,
    v.location.roomId,
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * The stored type of each evidence file the page shows, by id (read once per page): a PDF is a
 * link to open, not an image that cannot load.
 */
const EvidenceTypes = createContext<ReadonlyMap<string, string>>(new Map());

/** Thumbnails for evidence references (a PDF as a link); anything else is shown as the text it is. */
function Evidence(props: { refs: string[]; lang: Lang; alt?: Bilingual }) {
  const types = useContext(EvidenceTypes);
  const alt = props.alt ?? { zh: '证据照片', en: 'Evidence photo' };
  const photos = props.refs.flatMap((r) => {
    const p = parseEvidenceRef(r);
    return p ? [p] : [];
  });
  const others = props.refs.filter((r) => !parseEvidenceRef(r));
  return (
    <>
      {photos.length > 0 && (
        <div class="thumbs">
          {photos.map((p, n) => {
            const type = types.get(p.evidenceId);
            const href = `/api/evidence/${p.evidenceId}`;
            return type && !type.startsWith('image/') ? (
              <a href={href} title={`sha256 ${p.sha256}`} class="file" data-evidence-file={type}>
                {inLang({ zh: '文件', en: 'File' }, props.lang)} {n + 1} ·{' '}
                {type === 'application/pdf' ? 'PDF' : type}
              </a>
            ) : (
              <a href={href} title={`sha256 ${p.sha256}`}>
                <img src={href} alt={`${inLang(alt, props.lang)} ${n + 1}`} loading="lazy" />
              </a>
            );
          })}
        </div>
      )}
      {others.length > 0 && (
        <ul>
          {others.map((o) => (
            <li>{o}</li>
          ))}
        </ul>
      )}
    </>
  );
}

/**
 * The references of a description this case may show as its photos: its own files and its source
 * report's, as a step may cite them. Another case's file named in the text stays text.
 */
async function photosOfDescription(deps: AppDeps, caseId: string, text: string): Promise<Set<string>> {
  const refs = refsIn(text);
  const ok = await Promise.all(refs.map(async (r) => !(await citedEvidenceProblem(deps, caseId, r))));
  return new Set(refs.filter((_, i) => ok[i]));
}

function Description(props: { text: string; lang: Lang; shown: ReadonlySet<string> }) {
  const { text, refs } = describedPhotos(props.text, props.shown);
  return (
    <>
      {text}
      {refs.length > 0 && (
        <div data-description-photos>
          <Evidence refs={refs} lang={props.lang} alt={{ zh: '报告照片', en: 'Reported photo' }} />
        </div>
      )}
    </>
  );
}

// With JavaScript, photos go straight to the store: presign, PUT, confirm, and the returned
// reference rides in a hidden field. Without it (or if this fails) the files post with the form.
const PHOTO_SCRIPT = `(function(){
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

export interface FormState {
  /** A handling step's form (hand-over, pause…) comes back the same way as a stage step's. */
  step: FormStep | HandlingStep;
  values: Record<string, string>;
  errors: FieldErrors;
  /** Photos stored for the form before it was refused: offered again, not lost. */
  photos?: string[] | undefined;
}

/** A step form of this case sent after the session ended, offered again as it was typed. */
function unsavedStepForm(c: WebContext, caseId: string): FormState | null {
  let step: FormStep | undefined;
  const values = takeUnsaved(c, (action) => {
    step = FORM_STEPS.find((s) => action === `/app/cases/${caseId}/${stepPaths[s]}`);
    return step !== undefined;
  });
  return values && step ? { step, values, errors: {} } : null;
}

function StepForm(props: {
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
          <Field
            {...common}
            name="causes"
            label={{ zh: '根本原因', en: 'Root causes' }}
            hint={{ zh: '每行一条，最多 20 条', en: 'one per line, at most 20' }}
            control={(a) => (
              // The schema's bound: 20 causes of 1000 characters, one per line.
              <textarea {...a} required maxlength={ROOT_CAUSES_MAX * 1001 - 1}>
                {values.causes ?? ''}
              </textarea>
            )}
          />
          <Field
            {...common}
            name="responsibleId"
            label={{ zh: '责任人', en: 'Responsible staff member' }}
            control={(a) => (
              <select {...a} required>
                {staff.map((p) => (
                  <option value={p.id} selected={current === p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          />
          <Field
            {...common}
            name="plan"
            label={{ zh: '整改方案', en: 'Rectification plan' }}
            control={(a) => (
              <textarea {...a} required maxlength={5000}>
                {values.plan ?? ''}
              </textarea>
            )}
          />
        </>
      );
      break;
    }
    case 'rectification':
      fields = (
        <>
          <Field
            {...common}
            name="summary"
            label={{ zh: '整改情况', en: 'What was done' }}
            control={(a) => (
              <textarea {...a} required maxlength={5000}>
                {values.summary ?? ''}
              </textarea>
            )}
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
              <input type="radio" name="passed" value="true" required checked={values.passed === 'true'} />{' '}
              {t('合格，进入回访/结案', 'Passed: on to follow-up / closing')}
            </label>
            <label>
              <input type="radio" name="passed" value="false" checked={values.passed === 'false'} />{' '}
              {t('不合格，退回整改', 'Failed: back to rectification')}
            </label>
            {errors.passed && <p class="field-error">{inLang(errors.passed, lang)}</p>}
          </fieldset>
          <Field
            {...common}
            name="notes"
            label={{ zh: '复查说明', en: 'Notes' }}
            hint={{ zh: '不合格时必填', en: 'required when it fails' }}
            control={(a) => (
              <textarea {...a} maxlength={4000}>
                {values.notes ?? ''}
              </textarea>
            )}
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
          <Field
            {...common}
            name="notes"
            label={{ zh: '裁定理由', en: 'Reasons' }}
            control={(a) => (
              <textarea {...a} required maxlength={5000}>
                {values.notes ?? ''}
              </textarea>
            )}
          />
        </>
      );
      break;
    case 'withdraw':
      fields = (
        <Field
          {...common}
          name="reason"
          label={{ zh: '撤销原因', en: 'Reason' }}
          control={(a) => (
            <textarea {...a} required maxlength={2000}>
              {values.reason ?? ''}
            </textarea>
          )}
        />
      );
      break;
    case 'comment':
      fields = (
        <Field
          {...common}
          name="text"
          label={{ zh: '备注内容', en: 'Comment' }}
          control={(a) => (
            <textarea {...a} required maxlength={MAX_COMMENT_LENGTH}>
              {values.text ?? ''}
            </textarea>
          )}
        />
      );
      break;
  }
  return (
    <section class="card" aria-labelledby={`${step}-title`} data-step={step}>
      <h3 id={`${step}-title`}>{inLang(stepTitles[step], lang)}</h3>
      {errors._form && (
        <p class="field-error" role="alert">
          {inLang(errors._form, lang)}
        </p>
      )}
      <form method="post" action={action} enctype={multipart ? 'multipart/form-data' : undefined} novalidate>
        <Csrf token={props.csrfToken} />
        {/* One key per rendering of the form: the same submission sent twice is taken once. */}
        <input type="hidden" name="submissionKey" value={values.submissionKey ?? randomUUID()} />
        {fields}
        <div class="actions">
          <button type="submit" class={step === 'withdraw' ? 'danger' : undefined}>
            {step === 'withdraw' ? t('撤销案件', 'Withdraw') : t('提交', 'Submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

interface TimelineRow {
  at: string;
  what: string;
  who: string;
  detail: string;
  signature?:
    { ip?: string | undefined; textHash?: string | undefined; tokenId?: string | undefined } | undefined;
  refs: string[];
  seq: number;
  hash: string;
  /** The workflow event behind the entry: its number, and its technical name for those who look. */
  temporal?: { eventId: number; name: string } | undefined;
}

/** The audit chain as people read it, each entry with its signature, evidence and the Temporal update behind it. */
async function timelineOf(
  deps: AppDeps,
  dir: Directory,
  caseId: string,
  lang: Lang,
): Promise<{ rows: TimelineRow[]; history: HistorySummary | null }> {
  const tz = deps.env.CAMPUS_TZ;
  const people = new Map(dir.people.map((p) => [p.id, p]));
  const entries = await readChain(deps.aws.ddb, deps.aws.tables, caseId);
  let history: HistorySummary | null = null;
  try {
    const raw = await deps.temporal.workflow.getHandle(caseId).fetchHistory();
    history = summariseHistory(raw, await stepSeqs(deps.aws.ddb, deps.aws.tables, caseId));
  } catch {
    // Past the namespace's retention the audit chain alone tells the story.
    history = null;
  }
  const bySeq = new Map<number, { eventId: number; name: string }>();
  for (const u of history?.updates ?? []) {
    if (u.recorded?.auditSeq)
      bySeq.set(u.recorded.auditSeq, { eventId: u.eventId, name: `${u.name} (${u.outcome})` });
  }
  for (const s of history?.steps ?? []) {
    if (s.auditSeq && !bySeq.has(s.auditSeq)) bySeq.set(s.auditSeq, { eventId: s.eventId, name: s.activity });
  }
  const rows = entries.map((e) => {
    const item = describeEntry(e, lang, { person: (id) => people.get(id) }, tz, dir);
    const inner = (e.payload as { payload?: unknown } | undefined)?.payload as
      Record<string, unknown> | undefined;
    const sig = inner?.signature as TimelineRow['signature'] | undefined;
    const evidence = Array.isArray(inner?.evidence)
      ? inner.evidence.filter((x): x is string => typeof x === 'string')
      : [];
    const notes = typeof inner?.notes === 'string' ? refsIn(inner.notes) : [];
    return {
      at: e.at,
      what: item.what,
      who: item.actor.name,
      detail: item.detail,
      signature: sig,
      refs: [...evidence, ...notes],
      seq: e.seq,
      hash: e.hash,
      temporal: bySeq.get(e.seq),
    };
  });
  return { rows, history };
}

function Timeline(props: { rows: TimelineRow[]; lang: Lang; tz: string; history: HistorySummary | null }) {
  const t = (zh: string, en: string) => inLang({ zh, en }, props.lang);
  return (
    <>
      <ol class="timeline">
        {props.rows.map((r) => (
          <li>
            <strong>{r.what}</strong> · {r.who} · <time datetime={r.at}>{formatTime(r.at, props.tz)}</time>
            {r.detail && <div>{r.detail}</div>}
            {r.signature && (
              <div class="muted">
                {t('签名', 'Signature')}: IP {r.signature.ip ?? '—'} · {t('声明哈希', 'statement hash')}{' '}
                <code>{r.signature.textHash ?? '—'}</code>
              </div>
            )}
            {r.refs.length > 0 && <Evidence refs={r.refs} lang={props.lang} />}
            <div class="muted">
              #{r.seq} · <code title={r.hash}>{r.hash.slice(0, 12)}</code>
              {/* People read the event's number in their language; its technical name is on hover,
                  and in the workflow events listed below. */}
              {r.temporal && (
                <>
                  {' · '}
                  <span title={`Temporal: ${r.temporal.name}`} data-temporal-event={r.temporal.eventId}>
                    {t(`工作流事件 #${r.temporal.eventId}`, `Workflow event #${r.temporal.eventId}`)}
                  </span>
                </>
              )}
            </div>
          </li>
        ))}
      </ol>
      {props.history && (
        <details>
          <summary>
            {t(
              `工作流事件（Temporal，${props.history.events.length} 条）`,
              `Workflow events (Temporal, ${props.history.events.length})`,
            )}
          </summary>
          <ol>
            {props.history.events.map((e) => (
              <li>
                #{e.id} {e.type} {e.time ? formatTime(e.time, props.tz) : ''} {e.detail}
              </li>
            ))}
          </ol>
        </details>
      )}
    </>
  );
}

export async function renderCase(
  c: WebContext,
  deps: AppDeps,
  caseId: string,
  state: FormState | null,
  status: 200 | 400 | 422 = 200,
) {
  const viewer = viewerOf(c);
  const lang = c.get('lang');
  const t = (zh: string, en: string) => inLang({ zh, en }, lang);
  const tz = deps.env.CAMPUS_TZ;
  const now = new Date();
  const { view, dir } = await readCaseFor(deps, viewer, caseId);
  // The scanned-code reports this case answers, with when each was reported (its clocks may start there).
  const reports = await reportsOfCase(deps.aws, caseId);
  const descriptionPhotos = await photosOfDescription(deps, caseId, view.description);
  const steps = allowedSteps(deps, dir, viewer, view);
  const handling = allowedHandling(deps, dir, viewer, view);
  state ??= unsavedStepForm(c, caseId);
  const { rows, history } = await timelineOf(deps, dir, caseId, lang);
  const evidenceTypes = await evidenceTypesIn(deps, [view, rows]);
  const temporalUrl = `${deps.temporalUiUrl}/namespaces/${encodeURIComponent(deps.env.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(caseId)}`;
  const dl = (label: Bilingual, value: unknown) => (
    <>
      <dt>{inLang(label, lang)}</dt>
      <dd>{value}</dd>
    </>
  );
  const signOffPending = view.stage === 'awaiting_signoff' && view.responsibleId === viewer.person.id;
  const wantsPhotos = steps.includes('rectification') || steps.includes('review');
  const cited = caseCitation(view);
  // The case clocks run from the report: when it came before the opening, the page says when.
  const reportedAt = reportedAtOf(view);
  return page(
    c,
    `${view.caseId} · ${view.title}`,
    <EvidenceTypes.Provider value={evidenceTypes}>
      {wantsPhotos && <meta name="csrf-token" content={c.get('csrfToken')} />}
      <section class="card" aria-labelledby="summary-title">
        <h2 id="summary-title">{t('概况', 'Summary')}</h2>
        <dl class="summary">
          {dl({ zh: '环节', en: 'Stage' }, <StageBadge stage={view.stage} lang={lang} />)}
          {dl({ zh: '严重程度', en: 'Severity' }, <SeverityBadge severity={view.severity} lang={lang} />)}
          {dl({ zh: '来源', en: 'Source' }, inLang(sourceLabels[view.source], lang))}
          {view.category &&
            !cited &&
            dl(
              { zh: '类别', en: 'Category' },
              inLang(categoryLabel(view.category) ?? { zh: view.category, en: view.category }, lang),
            )}
          {cited &&
            dl(
              { zh: '引用标准', en: 'Cited standard' },
              <a href={`/app/standards#${cited.itemId}`} data-cited={cited.itemId}>
                {`${inLang(cited.dimensionName, lang)} ${cited.number} · ${inLang(cited.label, lang)}`}
              </a>,
            )}
          {dl({ zh: '位置', en: 'Place' }, placeOf(dir, view, lang))}
          {dl({ zh: '负责人', en: 'Assignee' }, personName(dir, view.assigneeId))}
          {dl({ zh: '责任人', en: 'Responsible' }, personName(dir, view.responsibleId))}
          {dl(
            { zh: '登记', en: 'Opened' },
            `${personName(dir, view.openedBy)} · ${formatTime(view.openedAt, tz)}`,
          )}
          {reportedAt && dl({ zh: '报告时间', en: 'Reported' }, formatTime(reportedAt, tz))}
          {dl({ zh: '时限规则', en: 'Time limits' }, `${inLang(view.sla.label, lang)} (${view.sla.version})`)}
          {dl(
            { zh: '轮次', en: 'Round' },
            `${view.round}${view.failedReviews > 0 ? t(`（复查不合格 ${view.failedReviews} 次）`, ` (${view.failedReviews} failed reviews)`) : ''}`,
          )}
          {view.reporter && dl({ zh: '报告人', en: 'Reporter' }, view.reporter.name)}
          {reports.length > 0 &&
            dl(
              { zh: '扫码报告', en: 'Scanned reports' },
              reports.map((r) => (
                <div data-report={r.reportId}>
                  {r.reportId} · {t('报告时间', 'reported at')} {formatTime(r.receivedAt, tz)}
                  {r.status === 'merged' ? t('（并入）', ' (merged)') : ''}
                </div>
              )),
            )}
          {dl(
            { zh: '描述', en: 'Description' },
            <Description text={view.description} lang={lang} shown={descriptionPhotos} />,
          )}
        </dl>
      </section>

      <section class="card" aria-labelledby="deadlines-title">
        <h2 id="deadlines-title">{t('时限', 'Deadlines')}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('环节', 'Stage')}</th>
                <th scope="col">{t('截止', 'Due')}</th>
                <th scope="col">{t('状态', 'State')}</th>
              </tr>
            </thead>
            <tbody>
              {view.deadlines.map((d) => (
                <tr>
                  <td>
                    {inLang(stageLabels[d.stage], lang)}
                    {/* The round sits under the stage, not in its own column, so a phone keeps the state in view. */}
                    <small class="muted" style="display:block">
                      {t(`第 ${d.round} 轮`, `round ${d.round}`)}
                    </small>
                  </td>
                  <td>
                    <DeadlineDue deadline={d} pauses={view.pauses} now={now} lang={lang} timeZone={tz} />
                    {d.approximate && <span class="muted"> {t('（约）', '(approx.)')}</span>}
                    {d.approximate && d.note && (
                      <small class="muted" data-deadline-note style="display:block">
                        {inLang(d.note, lang)}
                      </small>
                    )}
                  </td>
                  <StateCell state={d.state} at={d.closedAt} lang={lang} tz={tz} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <CaseClocks view={view} dir={dir} lang={lang} tz={tz} now={now} />

      {view.rootCause && (
        <section class="card" aria-labelledby="rc-title">
          <h2 id="rc-title">{t('原因分析', 'Root cause')}</h2>
          {view.rootCause.whys && view.rootCause.whys.length > 0 && (
            <ol>
              {view.rootCause.whys.map((w) => (
                <li>{w}</li>
              ))}
            </ol>
          )}
          <p>
            <strong>{t('根本原因', 'Root causes')}:</strong>{' '}
            {view.rootCause.causes.join(lang === 'en' ? '; ' : '；')}
          </p>
          <p>
            <strong>{t('整改方案', 'Plan')}:</strong> {view.rootCause.plan}
          </p>
        </section>
      )}

      {(view.rectifications.length > 0 || view.reviews.length > 0) && (
        <section class="card" aria-labelledby="work-title">
          <h2 id="work-title">{t('整改与复查', 'Rectification and review')}</h2>
          {/* Round by round (rectification 1, review 1, rectification 2, …): each review beside the work it judged. */}
          {[
            ...view.rectifications.map((r) => ({
              round: r.round,
              at: r.at,
              order: 0,
              rect: r,
              review: null,
            })),
            ...view.reviews.map((r) => ({ round: r.round, at: r.at, order: 1, rect: null, review: r })),
          ]
            .sort((x, y) => x.round - y.round || x.order - y.order || x.at.localeCompare(y.at))
            .map(({ rect: r, review }) =>
              r ? (
                <div data-work={`rectification-${r.round}`}>
                  <h3>
                    {t(`第 ${r.round} 轮整改`, `Round ${r.round} rectification`)} · {personName(dir, r.by)} ·{' '}
                    {formatTime(r.at, tz)}
                  </h3>
                  <p>{r.summary}</p>
                  <Evidence refs={r.evidence} lang={lang} />
                </div>
              ) : review ? (
                <div data-work={`review-${review.round}`}>
                  <h3>
                    {t(`第 ${review.round} 轮复查`, `Round ${review.round} review`)}:{' '}
                    {review.passed ? t('合格', 'passed') : t('不合格', 'failed')} ·{' '}
                    {personName(dir, review.by)} · {formatTime(review.at, tz)}
                  </h3>
                  <p>
                    {review.notes
                      .replace(EVIDENCE_REF_PATTERN, '')
                      .replace(/\n*复查照片 \/ Review photos:\s*$/u, '')}
                  </p>
                  <Evidence refs={refsIn(review.notes)} lang={lang} />
                </div>
              ) : null,
            )}
        </section>
      )}

      <section aria-labelledby="steps-title">
        <h2 id="steps-title">{t('我可以做的', 'What I can do now')}</h2>
        {signOffPending && (
          <p class="card">
            {t(
              '请通过邮件中的链接阅读声明并签字确认或提出异议（签名记录时间、IP 和声明哈希）。',
              'Sign off, or dispute, through the link in your email: the signature records the time, your IP and the statement hash.',
            )}
          </p>
        )}
        {steps.length === 0 && handling.length === 0 && !signOffPending && (
          <p class="muted">
            {t('此案件当前没有需要您处理的步骤。', 'Nothing on this case waits for you now.')}
          </p>
        )}
        {steps.map((s) => (
          <StepForm step={s} view={view} dir={dir} lang={lang} csrfToken={c.get('csrfToken')} state={state} />
        ))}
        <HandlingForms
          steps={handling}
          view={view}
          dir={dir}
          lang={lang}
          csrfToken={c.get('csrfToken')}
          state={state}
        />
      </section>

      <section class="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('时间线', 'Timeline')}</h2>
        <p>
          <a href={temporalUrl} rel="noopener" target="_blank">
            {t('在 Temporal UI 中查看此案件的工作流', 'Open this case’s workflow in the Temporal UI')}
          </a>
        </p>
        <Timeline rows={rows} lang={lang} tz={tz} history={history} />
      </section>
      {wantsPhotos && <script dangerouslySetInnerHTML={{ __html: PHOTO_SCRIPT }} />}
    </EvidenceTypes.Provider>,
    {
      status,
      currentUrl: `/app/cases/${encodeURIComponent(caseId)}`,
      // A form offered again after sign-in has no errors: the page says it was not saved instead.
      flash:
        state && Object.keys(state.errors).length > 0
          ? {
              kind: 'error',
              text: { zh: '请检查下方表单中的错误', en: 'Please fix the errors in the form below' },
            }
          : undefined,
    },
  );
}

const lines = (v: string | undefined) =>
  (v ?? '')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** The photo references the page's script stored and the form carries (each once). */
const scriptRefs = (form: Record<string, unknown>): string[] => [
  ...new Set(
    asList(form['evidence[]']).filter(
      (v): v is string => typeof v === 'string' && parseEvidenceRef(v) !== null,
    ),
  ),
];

/** Photos posted with the form (no JavaScript): each goes to the store; returns their references. */
async function storePostedPhotos(
  deps: AppDeps,
  viewer: Caller,
  caseId: string,
  posted: unknown,
): Promise<{ refs: string[]; error?: Bilingual }> {
  const files = asList(posted).filter((f): f is File => f instanceof File && f.size > 0);
  if (files.length > MAX_PHOTOS) {
    return { refs: [], error: { zh: `最多 ${MAX_PHOTOS} 个文件`, en: `at most ${MAX_PHOTOS} files` } };
  }
  const refs: string[] = [];
  for (const file of files) {
    try {
      refs.push((await putEvidence(deps, { caseId, uploaderId: viewer.person.id, file })).ref);
    } catch (err) {
      if (err instanceof EvidenceError) return { refs, error: err.text };
      throw err;
    }
  }
  return { refs };
}

/** The case page and its step posts, under /app. */
export function casePageRoutes(app: Hono<WebEnv>, deps: AppDeps): void {
  app.get('/cases/:caseId', async (c) => renderCase(c, deps, caseIdOf(c), null));

  /**
   * One step's POST: read the form, build the update's input (or field errors), take the step,
   * and go back to the case with a flash. A refused step comes back as a flash, not an error page.
   */
  const post = (
    step: FormStep,
    run: (
      c: WebContext,
      caseId: string,
      form: Record<string, unknown>,
    ) => Promise<{ errors: FieldErrors; photos?: string[] } | { done: Bilingual }>,
  ) =>
    app.post(`/cases/:caseId/${stepPaths[step]}`, async (c) => {
      const caseId = caseIdOf(c);
      const posted = await formOr400(c, { all: true });
      const back = `/app/cases/${encodeURIComponent(caseId)}`;
      // Each field is sent once (`text=a&text=b` is a script or a tampered page): refused beside
      // the field, with what was typed kept, rather than the last value taken silently.
      const repeated = repeatedFields(posted);
      if (repeated.length > 0)
        return renderCase(
          c,
          deps,
          caseId,
          {
            step,
            values: formValues(posted),
            errors: {
              ...Object.fromEntries(repeated.map((k) => [k, REPEATED_FIELD])),
              _form: {
                zh: `表单字段重复（${repeated.join('、')}），没有保存。`,
                en: `A field came more than once (${repeated.join(', ')}); nothing was saved.`,
              },
            },
            photos: scriptRefs(posted),
          },
          400,
        );
      const form: Record<string, unknown> = posted;
      const submission = submissionOf(c, caseId, form);
      const { ddb, tables } = deps.aws;
      const token = randomUUID();
      if (submission) {
        // Sent before (a double click, a reload of the POST): answered as the first was.
        const first = await answeredBefore(submission);
        if (first) return redirectWithFlash(c, back, first);
        if (!(await reserveKey(ddb, tables, submission.scope, submission.key, token))) {
          const racing = await answeredBefore(submission, 20);
          return redirectWithFlash(
            c,
            back,
            racing ?? {
              kind: 'error',
              text: {
                zh: '同一表单的上一次提交仍在处理中；请稍后刷新页面查看结果',
                en: 'The same form’s earlier submission is still being taken; reload the page shortly to see the result',
              },
            },
          );
        }
      }
      const release = () =>
        submission
          ? releaseKey(ddb, tables, submission.scope, submission.key, token).catch(() => undefined)
          : undefined;
      try {
        const out = await run(c, caseId, form);
        if ('errors' in out) {
          await release();
          return renderCase(
            c,
            deps,
            caseId,
            { step, values: formValues(form), errors: out.errors, photos: out.photos },
            400,
          );
        }
        if (submission)
          await claimIdempotencyKey(ddb, tables, {
            scope: submission.scope,
            key: submission.key,
            requestHash: step,
            resultId: caseId,
            payload: JSON.stringify(out.done),
            createdAt: new Date().toISOString(),
          });
        return redirectWithFlash(c, back, { kind: 'ok', text: out.done });
      } catch (err) {
        await release();
        const { text, fields } = refusalOf(err);
        if (Object.keys(fields).length > 0) {
          return renderCase(
            c,
            deps,
            caseId,
            { step, values: formValues(form), errors: { ...fields, _form: text }, photos: scriptRefs(form) },
            422,
          );
        }
        return redirectWithFlash(c, back, { kind: 'error', text });
      }
    });

  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

  /** The form's submission key, scoped to the person and the case; none for a form without one. */
  const submissionOf = (c: WebContext, caseId: string, form: Record<string, unknown>) => {
    const key = idempotencyKeySchema.safeParse(form.submissionKey);
    return key.success ? { scope: `case-step:${viewerOf(c).person.id}:${caseId}`, key: key.data } : null;
  };
  /** The first answer to a submission already taken, waiting up to `polls` quarter-seconds for it. */
  const answeredBefore = async (
    submission: { scope: string; key: string },
    polls = 0,
  ): Promise<FlashMessage | null> => {
    for (let i = 0; ; i++) {
      const claim = await findClaim(deps.aws.ddb, deps.aws.tables, submission.scope, submission.key);
      if (claim) {
        const done = JSON.parse(claim.payload) as Bilingual;
        return {
          kind: 'ok',
          text: {
            zh: `${done.zh}（重复提交，未再次记录）`,
            en: `${done.en} (sent again; not recorded twice)`,
          },
        };
      }
      if (i >= polls) return null;
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  post('root_cause', async (c, caseId, form) => {
    const whys = [1, 2, 3, 4, 5].map((n) => str(form[`why${n}`])?.trim() ?? '').filter(Boolean);
    const body = {
      causes: lines(str(form.causes)),
      responsibleId: str(form.responsibleId) ?? '',
      plan: str(form.plan) ?? '',
      whys: whys.length > 0 ? whys : undefined,
    };
    const parsed = parseForm(rootCauseSchema, body, stepLabels());
    const errors: FieldErrors = {};
    if (!parsed.ok) {
      for (const [k, v] of Object.entries(parsed.errors)) {
        const why = /^whys\.(\d+)$/.exec(k);
        errors[why ? `why${Number(why[1]) + 1}` : k.replace(/\.\d+$/, '')] = v;
      }
    }
    if (whys.length === 0)
      errors.why1 = { zh: '至少回答第一个“为什么”', en: 'answer at least the first why' };
    // The schema takes any id: one that is no staff member (a tampered list) is said beside the
    // field with the others, not only after the rest is corrected.
    if (!errors.responsibleId && !isStaff(await directoryOrFail(deps), body.responsibleId))
      errors.responsibleId = {
        zh: `责任人：请从列表中选择一位员工（名录中没有员工 ${body.responsibleId || '（空）'}）`,
        en: `Responsible staff member: choose a staff member from the list (${body.responsibleId || '(none)'} is not one)`,
      };
    if (!parsed.ok || Object.keys(errors).length > 0) return { errors };
    // A photo named in the analysis is checked as the API checks it (the audit would find it
    // later), and refused beside the field that names it.
    const named: [string, unknown][] = [
      ...whys.map((w, i): [string, unknown] => [`why${i + 1}`, w]),
      ['causes', parsed.data.causes],
      ['plan', parsed.data.plan],
    ];
    for (const [field, value] of named) {
      const badRef = await citedEvidenceProblem(deps, caseId, value);
      if (badRef) return { errors: { [field]: badRef.text } };
    }
    const lang = c.get('lang');
    await takeStep(deps, viewerOf(c), caseId, submitRootCauseUpdate, (actor, dir) =>
      rootCauseInput(parsed.data, actor, dir, lang),
    );
    return {
      done: {
        zh: '原因分析已提交，已通知责任人签字',
        en: 'Root cause submitted; the responsible person is asked to sign',
      },
    };
  });

  post('rectification', async (c, caseId, form) => {
    const viewer = viewerOf(c);
    // Refuse before storing anything for a step this person may not take.
    const { view, dir } = await readCaseFor(deps, viewer, caseId);
    const refusal = stepRefusal(deps, dir, viewer, 'rectification', view);
    if (refusal) throw refusal;
    const fromScript = scriptRefs(form);
    const uploaded = await storePostedPhotos(deps, viewer, caseId, form['photos[]']);
    // Whatever is stored already comes back with a refused form, not lost.
    const kept = [...fromScript, ...uploaded.refs];
    if (uploaded.error) return { errors: { photos: uploaded.error }, photos: kept };
    const body = {
      summary: str(form.summary) ?? '',
      evidence: [...fromScript, ...uploaded.refs, ...lines(str(form.evidenceText))],
    };
    const parsed = parseForm(rectificationSchema, body, stepLabels());
    if (!parsed.ok) {
      const errors: FieldErrors = {};
      for (const [k, v] of Object.entries(parsed.errors)) {
        errors[k.startsWith('evidence') ? 'evidenceText' : k] =
          k === 'evidence' ? { zh: '请上传照片或填写其他证据', en: 'add a photo or other evidence' } : v;
      }
      return { errors, photos: kept };
    }
    const badRef = await citedEvidenceProblem(deps, caseId, parsed.data);
    if (badRef) return { errors: { evidenceText: badRef.text }, photos: kept };
    await takeStep(deps, viewer, caseId, reportRectificationUpdate, (actor) => ({
      actor,
      summary: parsed.data.summary,
      evidence: parsed.data.evidence,
    }));
    return {
      done: { zh: '整改已报告，等待复查', en: 'Rectification reported; a supervisor will review it' },
    };
  });

  post('review', async (c, caseId, form) => {
    const viewer = viewerOf(c);
    const { view, dir } = await readCaseFor(deps, viewer, caseId);
    const refusal = stepRefusal(deps, dir, viewer, 'review', view);
    if (refusal) throw refusal;
    const fromScript = scriptRefs(form);
    const uploaded = await storePostedPhotos(deps, viewer, caseId, form['photos[]']);
    // Whatever is stored already comes back with a refused form, not lost.
    const kept = [...fromScript, ...uploaded.refs];
    if (uploaded.error) return { errors: { photos: uploaded.error }, photos: kept };
    const photos = [...fromScript, ...uploaded.refs];
    const typed = (str(form.notes) ?? '').trim();
    const badPhoto = await citedEvidenceProblem(deps, caseId, [photos, typed]);
    if (badPhoto) return { errors: { photos: badPhoto.text }, photos: kept };
    // A review carries no evidence list of its own: the photos' references ride in its notes,
    // which the audit entry records, so their hashes enter the chain all the same.
    const result = str(form.passed);
    if (result !== 'true' && result !== 'false')
      return {
        errors: { passed: { zh: '请选择复查结果：合格或不合格', en: 'choose the result: passed or failed' } },
        photos: kept,
      };
    const parsed = parseForm(
      reviewSchema,
      { passed: result === 'true', notes: typed },
      stepLabels({ notes: { zh: '复查说明', en: 'Notes' } }),
    );
    if (!parsed.ok) return { errors: parsed.errors, photos: kept };
    const notes =
      photos.length > 0
        ? `${parsed.data.notes}\n\n复查照片 / Review photos: ${photos.join(' ')}`.trim()
        : parsed.data.notes;
    if (notes.length > 5000) {
      return {
        errors: {
          notes: {
            zh: '说明和照片引用合计不能超过 5000 个字符',
            en: 'notes and photo references together must stay within 5000 characters',
          },
        },
        photos: kept,
      };
    }
    await takeStep(deps, viewer, caseId, reviewUpdate, (actor) => ({
      actor,
      passed: parsed.data.passed,
      notes,
    }));
    return {
      done: parsed.data.passed
        ? { zh: '复查合格', en: 'Review passed' }
        : { zh: '复查不合格，已退回整改', en: 'Review failed; the case is back in rectification' },
    };
  });

  post('adjudication', async (c, caseId, form) => {
    const parsed = parseForm(
      adjudicationSchema,
      {
        decision: str(form.decision) ?? '',
        notes: str(form.notes) ?? '',
      },
      stepLabels({ decision: { zh: '裁定', en: 'Decision' }, notes: { zh: '裁定理由', en: 'Reasons' } }),
    );
    if (!parsed.ok) return { errors: parsed.errors };
    await takeStep(deps, viewerOf(c), caseId, adjudicateUpdate, (actor) => ({
      actor,
      ...parsed.data,
    }));
    return { done: { zh: '裁定已记录', en: 'Decision recorded' } };
  });

  post('withdraw', async (c, caseId, form) => {
    const parsed = parseForm(
      withdrawSchema,
      { reason: str(form.reason) ?? '' },
      stepLabels({ reason: { zh: '撤销原因', en: 'Reason' } }),
    );
    if (!parsed.ok) return { errors: parsed.errors };
    await takeStep(deps, viewerOf(c), caseId, withdrawUpdate, (actor) => ({
      actor,
      ...parsed.data,
    }));
    return { done: { zh: '案件已撤销', en: 'Case withdrawn' } };
  });

  post('comment', async (c, caseId, form) => {
    const text = str(form.text) ?? '';
    const parsed = parseForm(
      commentSchema.refine((b) => b.text.length <= MAX_COMMENT_LENGTH, {
        path: ['text'],
        error: `备注内容：最多 ${MAX_COMMENT_LENGTH} 个字符（现有 ${text.trim().length} 个），请删减 / Comment: takes at most ${MAX_COMMENT_LENGTH} characters (this has ${text.trim().length}); shorten it`,
      }),
      { text },
      stepLabels(),
    );
    if (!parsed.ok) return { errors: parsed.errors };
    await takeStep(deps, viewerOf(c), caseId, addCommentUpdate, (actor) => ({
      actor,
      ...parsed.data,
    }));
    return { done: { zh: '备注已添加', en: 'Comment added' } };
  });
}
