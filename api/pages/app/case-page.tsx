// The case page's routes: the page itself (rendered by case-view.tsx) and the posts of its stage
// steps' forms (root cause, rectification, review, adjudication, withdrawal, comment).
import { formOr400 } from '../../form-body.ts';
import { createHash, randomUUID } from 'node:crypto';
import { claimIdempotencyKey, findClaim, releaseKey, reserveKey } from '../../../store/idempotency.ts';
import { idempotencyKeySchema } from '../../schemas.ts';
import type { Hono } from 'hono';
import {
  EvidenceError,
  citedEvidenceProblem,
  parseEvidenceRef,
  putEvidence,
} from '../../../store/evidence.ts';
import { MAX_COMMENT_LENGTH } from '../../../domain/case-model.ts';
import { characterCount } from '../../../domain/characters.ts';
import type { Directory } from '../../../domain/directory.ts';
import { type Bilingual } from '../../../domain/text.ts';
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
import type { AppDeps } from '../../deps.ts';
import { directoryOrFail } from '../../reads.ts';
import type { WebEnv } from '../../middleware/session.ts';
import {
  adjudicationSchema,
  commentSchema,
  rectificationSchema,
  reviewSchema,
  rootCauseSchema,
  withdrawSchema,
} from '../../schemas.ts';
import { type FieldErrors, type FlashMessage } from '../ui.tsx';
import type { FormStep } from './case-form-state.tsx';
import { MAX_PHOTOS, stepPaths } from './case-step-forms.tsx';
import { handlingPaths } from './case-handling-forms.tsx';
import { renderCase, renderRefused } from './case-view.tsx';
import {
  formValues,
  parseForm,
  redirectWithFlash,
  refusalOf,
  REPEATED_FIELD,
  repeatedFields,
  viewerOf,
  caseIdOf,
  type WebContext,
} from './web-kit.tsx';

export { MAX_PHOTOS };

/** The steps whose forms may carry photos (and so a larger body). */
export const PHOTO_STEP_PATH = /^\/app\/cases\/[^/]+\/(rectification|review)$/;

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

type Answered = FlashMessage | { differs: true };

const SENT_WITH_OTHER_CONTENT: Bilingual = {
  zh: '这份表单已经提交过一次（内容不同），请确认后再次提交',
  en: 'This form was already sent once with other content; check it and send it again',
};

/**
 * What a step's form carried, as a hash its submission key is claimed with: the step and every
 * field but the key and the CSRF token (a posted file by its name and size; its bytes are stored
 * as evidence only once the step is taken).
 */
function submissionHash(step: FormStep, form: Record<string, unknown>): string {
  const valueOf = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(valueOf)
      : v instanceof File
        ? `file:${v.name}:${v.size}`
        : typeof v === 'string'
          ? v
          : null;
  const fields = Object.keys(form)
    .filter((k) => k !== 'submissionKey' && k !== '_csrf')
    .sort()
    .map((k) => [k, valueOf(form[k])]);
  return createHash('sha256')
    .update(JSON.stringify([step, fields]))
    .digest('hex');
}

/** The case page and its step posts, under /app. */
export function casePageRoutes(app: Hono<WebEnv>, deps: AppDeps): void {
  app.get('/cases/:caseId', async (c) => renderCase(c, deps, caseIdOf(c), null));
  // The address a refused form leaves in the bar, opened again (a copied link, a reload that
  // dropped the post): the case page it came from, in the language it was asked in.
  for (const path of [...Object.values(stepPaths), ...Object.values(handlingPaths)])
    app.get(`/cases/:caseId/${path}`, (c) => {
      const lang = c.req.query('lang');
      const query = lang === 'en' || lang === 'zh-CN' ? `?lang=${lang}` : '';
      return c.redirect(`/app/cases/${encodeURIComponent(caseIdOf(c))}${query}`, 303);
    });

  /**
   * One step's POST: read the form, build the update's input (or field errors), take the step,
   * and go back to the case with a flash. A refused step comes back on the case page with what
   * was typed, its field marked or (a refusal naming none) its message over the form.
   */
  const post = (
    step: FormStep,
    run: (
      c: WebContext,
      caseId: string,
      form: Record<string, unknown>,
      /** Says which photos are stored for the form, so a refusal after storing them offers them again. */
      keep: (photos: string[]) => void,
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
      const submission = submissionOf(c, caseId, step, form);
      const { ddb, tables } = deps.aws;
      const token = randomUUID();
      if (submission) {
        // Sent before (a double click, a reload of the POST): answered as the first was.
        const first = await answeredBefore(submission);
        if (first) return answerAgain(c, caseId, step, form, first);
        if (!(await reserveKey(ddb, tables, submission.scope, submission.key, token))) {
          const racing = await answeredBefore(submission, 20);
          if (racing) return answerAgain(c, caseId, step, form, racing);
          return renderRefused(
            c,
            deps,
            caseId,
            {
              step,
              values: formValues(form),
              errors: {
                _form: {
                  zh: '同一表单的上一次提交仍在处理中；请稍后刷新页面查看结果',
                  en: 'The same form’s earlier submission is still being taken; reload the page shortly to see the result',
                },
              },
              photos: scriptRefs(form),
            },
            409,
          );
        }
      }
      let stored = scriptRefs(form);
      const release = () =>
        submission
          ? releaseKey(ddb, tables, submission.scope, submission.key, token).catch(() => undefined)
          : undefined;
      try {
        const out = await run(c, caseId, form, (photos) => {
          stored = photos;
        });
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
            requestHash: submission.hash,
            resultId: caseId,
            payload: JSON.stringify(out.done),
            createdAt: new Date().toISOString(),
          });
        return redirectWithFlash(c, back, { kind: 'ok', text: out.done });
      } catch (err) {
        await release();
        const { text, fields, status } = refusalOf(err);
        const named = Object.keys(fields).length > 0;
        return renderRefused(
          c,
          deps,
          caseId,
          { step, values: formValues(form), errors: { ...fields, _form: text }, photos: stored },
          named ? 422 : status,
        );
      }
    });

  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

  /**
   * The form's submission key, scoped to the person and the case, with a hash of what the form
   * carried (the step and its fields): none for a form without a key.
   */
  const submissionOf = (c: WebContext, caseId: string, step: FormStep, form: Record<string, unknown>) => {
    const key = idempotencyKeySchema.safeParse(form.submissionKey);
    return key.success
      ? {
          scope: `case-step:${viewerOf(c).person.id}:${caseId}`,
          key: key.data,
          hash: submissionHash(step, form),
        }
      : null;
  };
  /**
   * The answer to a submission whose key was taken before, waiting up to `polls` quarter-seconds
   * for it: the first answer again when the same fields came, else a note that they differ.
   */
  const answeredBefore = async (
    submission: { scope: string; key: string; hash: string },
    polls = 0,
  ): Promise<Answered | null> => {
    for (let i = 0; ; i++) {
      const claim = await findClaim(deps.aws.ddb, deps.aws.tables, submission.scope, submission.key);
      if (claim) {
        if (claim.requestHash !== submission.hash) return { differs: true };
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
  /**
   * A used key answered: the same form again goes back as the first did; other fields under it (the
   * browser's Back restored the page, then the text was edited) are not dropped behind that answer
   * but come back on the page (409) as typed, with a fresh key, to be checked and sent again.
   */
  const answerAgain = (
    c: WebContext,
    caseId: string,
    step: FormStep,
    form: Record<string, unknown>,
    answered: Answered,
  ) => {
    if (!('differs' in answered))
      return redirectWithFlash(c, `/app/cases/${encodeURIComponent(caseId)}`, answered);
    const { submissionKey: _used, ...values } = formValues(form);
    return renderRefused(
      c,
      deps,
      caseId,
      { step, values, errors: { _form: SENT_WITH_OTHER_CONTENT }, photos: scriptRefs(form) },
      409,
    );
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

  post('rectification', async (c, caseId, form, keep) => {
    const viewer = viewerOf(c);
    // Refuse before storing anything for a step this person may not take.
    const { view, dir } = await readCaseFor(deps, viewer, caseId);
    const refusal = stepRefusal(deps, dir, viewer, 'rectification', view);
    if (refusal) throw refusal;
    const fromScript = scriptRefs(form);
    const uploaded = await storePostedPhotos(deps, viewer, caseId, form['photos[]']);
    // Whatever is stored already comes back with a refused form, not lost.
    const kept = [...fromScript, ...uploaded.refs];
    keep(kept);
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

  post('review', async (c, caseId, form, keep) => {
    const viewer = viewerOf(c);
    const { view, dir } = await readCaseFor(deps, viewer, caseId);
    const refusal = stepRefusal(deps, dir, viewer, 'review', view);
    if (refusal) throw refusal;
    const fromScript = scriptRefs(form);
    const uploaded = await storePostedPhotos(deps, viewer, caseId, form['photos[]']);
    // Whatever is stored already comes back with a refused form, not lost.
    const kept = [...fromScript, ...uploaded.refs];
    keep(kept);
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
    const has = characterCount(text.trim());
    const parsed = parseForm(
      commentSchema.refine((b) => characterCount(b.text) <= MAX_COMMENT_LENGTH, {
        path: ['text'],
        error: `备注内容：最多 ${MAX_COMMENT_LENGTH} 个字符（现有 ${has} 个），请删减 / Comment: takes at most ${MAX_COMMENT_LENGTH} characters (this has ${has}); shorten it`,
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
