// The case page's part for the case-level clocks and the steps beside the stages: the clocks
// with their state, the pauses, and the forms for arrival, pauses, reassignment and hand-over.
import { formOr400 } from '../../form-body.ts';
import type { UpdateDefinition } from '@temporalio/common';
import type { Hono } from 'hono';
import type { z } from 'zod';
import {
  clockBasis,
  clockStatuses,
  openPause,
  pauseReasonLabels,
  pauseReasons,
  reportedAtOf,
  type ClockId,
} from '../../../domain/case-clocks.ts';
import { checkHandling, type HandlingStep } from '../../../domain/case-handling.ts';
import { isTerminal, type Actor, type CaseView } from '../../../domain/case-model.ts';
import { withSupervision, type Directory } from '../../../domain/directory.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import {
  arrivedUpdate,
  decidePauseUpdate,
  endPauseUpdate,
  handOverUpdate,
  reassignUpdate,
  requestPauseUpdate,
  type StepAck,
} from '../../../workflows/rectification-case/messages.ts';
import type { Caller } from '../../auth.ts';
import { colleagueOf, finishedCase, precheckPolicy, readCaseFor } from '../../case-service.ts';
import type { AppDeps } from '../../deps.ts';
import type { WebEnv } from '../../middleware/session.ts';
import {
  arrivedSchema,
  endPauseSchema,
  pauseDecisionSchema,
  pauseRequestSchema,
  reassignSchema,
} from '../../schemas.ts';
import { readRefusal } from '../../middleware/access.ts';
import { readCase } from '../../reads.ts';
import { Csrf, Field, formatTime, HeldOrDue, StateCell, type FieldErrors } from '../ui.tsx';
import { renderCase } from './case-page.tsx';
import {
  caseIdOf,
  formValues,
  parseForm,
  redirectWithFlash,
  refusalOf,
  REPEATED_FIELD,
  repeatedFields,
  viewerOf,
  type WebContext,
} from './web-kit.tsx';

const HANDLING_STEPS = [
  'arrived',
  'request_pause',
  'decide_pause',
  'end_pause',
  'reassign',
  'hand_over',
] as const;

export const handlingPaths: Record<HandlingStep, string> = {
  arrived: 'arrived',
  request_pause: 'pause',
  decide_pause: 'pause/decision',
  end_pause: 'pause/end',
  reassign: 'reassign',
  hand_over: 'hand-over',
};

/** The handling forms' fields as their labels read, for a refusal shown away from the form. */
const fieldLabels: Record<string, Bilingual> = {
  reason: { zh: '原因', en: 'Reason' },
  note: { zh: '说明', en: 'Note' },
  notes: { zh: '说明', en: 'Notes' },
  assigneeId: { zh: '接手人', en: 'Colleague' },
  approve: { zh: '审批结果', en: 'Decision' },
};

const titles: Record<HandlingStep, Bilingual> = {
  arrived: { zh: '登记到场', en: 'I am on site' },
  request_pause: { zh: '申请暂停计时', en: 'Ask to pause the clocks' },
  decide_pause: { zh: '审批暂停申请', en: 'Decide the pause request' },
  end_pause: { zh: '结束暂停', en: 'End the pause' },
  reassign: { zh: '改派', en: 'Reassign' },
  hand_over: { zh: '移交同事', en: 'Hand over to a colleague' },
};

/** The handling steps `viewer` may take on the case now, by the one rule (domain/case-handling.ts). */
export function allowedHandling(
  deps: AppDeps,
  dir: Directory,
  viewer: Caller,
  view: CaseView,
): HandlingStep[] {
  const actor = withSupervision(dir, viewer.actor);
  const policy = precheckPolicy(deps, dir, view);
  return HANDLING_STEPS.filter((s) => {
    const r = checkHandling(s, actor, view, policy, { reason: pauseReasons[0], toId: '-', note: '-' });
    return r === null;
  });
}

/** Where a clock comes from, under its name: the document and the sentence it quotes. */
function Basis(props: { id: ClockId; lang: Lang }) {
  const basis = clockBasis(props.id);
  if (!basis) return null;
  return (
    <small class="muted basis">
      {inLang({ zh: '依据', en: 'From' }, props.lang)} {inLang(basis.title, props.lang)}
      {props.lang === 'en' ? ': ' : '：'}“{basis.quote}”
    </small>
  );
}

/** The case-level clocks, each pending, met or breached, and the pauses that held them. */
export function CaseClocks(props: { view: CaseView; dir: Directory; lang: Lang; tz: string; now: Date }) {
  const { view, lang, tz, now } = props;
  const t = (zh: string, en: string) => inLang({ zh, en }, lang);
  const clocks = clockStatuses(view, now.getTime());
  if (clocks.length === 0) return null;
  const paused = openPause(view.pauses)?.state === 'approved';
  const reported = reportedAtOf(view);
  const who = (id: string | undefined) => (id ? (props.dir.people.find((p) => p.id === id)?.name ?? id) : '');
  return (
    <section class="card" aria-labelledby="clocks-title">
      <h2 id="clocks-title">{t('案件时限（自报告起）', 'Case clocks (from the report)')}</h2>
      <p class="muted" data-clocks-from={reported ?? view.openedAt}>
        {reported
          ? `${t('报告时间', 'Reported')} ${formatTime(reported, tz)} · ${t('登记', 'Opened')} ${formatTime(view.openedAt, tz)}`
          : `${t('报告即登记', 'Reported when opened')} ${formatTime(view.openedAt, tz)}`}
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('时限', 'Clock')}</th>
              <th scope="col">{t('截止', 'Due')}</th>
              <th scope="col">{t('状态', 'State')}</th>
            </tr>
          </thead>
          <tbody>
            {clocks.map((c) => (
              <>
                <tr data-clock={c.id} data-state={c.state} class="has-basis">
                  <td>{inLang(c.label, lang)}</td>
                  <td>
                    {/* Every approved pause holds the clocks: their due moves on with it, nothing counts down. */}
                    <HeldOrDue
                      due={c.due}
                      running={c.state === 'pending'}
                      held={c.state === 'pending' && paused}
                      now={now}
                      lang={lang}
                      timeZone={tz}
                    />
                    {Math.round(c.pausedMs / 60_000) > 0 && (
                      <span class="muted">
                        {' '}
                        {t(
                          `（暂停 ${Math.round(c.pausedMs / 60_000)} 分钟已扣除）`,
                          `(${Math.round(c.pausedMs / 60_000)} min paused, not counted)`,
                        )}
                      </span>
                    )}
                    {c.approximate && <span class="muted"> {t('（约）', '(approx.)')}</span>}
                  </td>
                  <StateCell state={c.state} at={c.metAt} lang={lang} tz={tz} />
                </tr>
                <tr class="basis-row">
                  <td colspan={3}>
                    <Basis id={c.id} lang={lang} />
                  </td>
                </tr>
              </>
            ))}
          </tbody>
        </table>
      </div>
      {(view.pauses ?? []).length > 0 && (
        <>
          <h3>{t('暂停', 'Pauses')}</h3>
          <ul>
            {(view.pauses ?? []).map((p) => (
              <li data-pause={p.state}>
                {inLang(pauseReasonLabels[p.reason], lang)} · {who(p.requestedBy)} ·{' '}
                {formatTime(p.requestedAt, tz)} · {inLang(pauseStateLabels[p.state], lang)}
                {p.decidedAt && ` · ${who(p.decidedBy)} ${formatTime(p.decidedAt, tz)}`}
                {p.endedAt && ` → ${formatTime(p.endedAt, tz)}`}
                {p.note && ` · ${p.note}`}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

const pauseStateLabels = {
  requested: { zh: '待审批', en: 'awaiting a decision' },
  approved: { zh: '暂停中', en: 'paused' },
  rejected: { zh: '已驳回', en: 'rejected' },
  ended: { zh: '已结束', en: 'ended' },
} as const satisfies Record<string, Bilingual>;

/** One form per handling step the viewer may take now; a refused one comes back as it was sent. */
export function HandlingForms(props: {
  steps: HandlingStep[];
  view: CaseView;
  dir: Directory;
  lang: Lang;
  csrfToken: string;
  state?: { step: string; values: Record<string, string>; errors: FieldErrors } | null | undefined;
}) {
  const { view, dir, lang } = props;
  const t = (zh: string, en: string) => inLang({ zh, en }, lang);
  const staff = dir.people.filter((p) => p.roles.includes('staff') && p.id !== view.assigneeId);
  const fieldsOf = (step: HandlingStep, values: Record<string, string>, errors: FieldErrors) => {
    const common = { lang, errors, idPrefix: step };
    switch (step) {
      case 'arrived':
        return (
          <Field
            {...common}
            name="note"
            label={{ zh: '说明（可选）', en: 'Note (optional)' }}
            control={(a) => <input {...a} type="text" maxlength={500} value={values.note ?? ''} />}
          />
        );
      case 'request_pause':
        return (
          <>
            <Field
              {...common}
              name="reason"
              label={fieldLabels.reason!}
              control={(a) => (
                <select {...a} required>
                  {pauseReasons.map((r) => (
                    <option value={r} selected={values.reason === r}>
                      {inLang(pauseReasonLabels[r], lang)}
                    </option>
                  ))}
                </select>
              )}
            />
            <Field
              {...common}
              name="note"
              label={fieldLabels.note!}
              control={(a) => <input {...a} type="text" maxlength={500} value={values.note ?? ''} />}
            />
            <p class="hint">
              {t(
                '主管批准后，案件时限和当前环节时限一并暂停：不发提醒、不计超时，结束后按暂停时长顺延（以工作日计的时限和环节按暂停占用的工作时间顺延，周末和夜间不算）。',
                'Once a supervisor approves, the case clocks and this stage’s deadline are held: no reminders, no breach; the due moves on by the pause when it ends (a clock or stage counted in working days, by the working time the pause took: nights and weekends give none).',
              )}
            </p>
          </>
        );
      case 'decide_pause':
        return (
          <>
            <fieldset aria-invalid={errors.approve ? 'true' : undefined}>
              <legend>{inLang(fieldLabels.approve!, lang)}</legend>
              <label>
                <input type="radio" name="approve" value="true" checked={values.approve !== 'false'} />{' '}
                {t('批准', 'Approve')}
              </label>
              <label>
                <input type="radio" name="approve" value="false" checked={values.approve === 'false'} />{' '}
                {t('驳回', 'Reject')}
              </label>
              {errors.approve && <p class="field-error">{inLang(errors.approve, lang)}</p>}
            </fieldset>
            <Field
              {...common}
              name="notes"
              label={fieldLabels.notes!}
              control={(a) => <input {...a} type="text" maxlength={2000} value={values.notes ?? ''} />}
            />
          </>
        );
      case 'end_pause':
        return null;
      case 'reassign':
      case 'hand_over':
        return (
          <>
            <Field
              {...common}
              name="assigneeId"
              label={fieldLabels.assigneeId!}
              // The name leads (then `required`), as the list has always been written.
              control={({ name, ...a }) => (
                <select name={name} required {...a}>
                  {/* Nobody chosen until someone is: a case must not go to whoever sorts first. */}
                  <option value="" selected={!staff.some((p) => p.id === values.assigneeId)}>
                    {t('请选择', 'Choose…')}
                  </option>
                  {staff.map((p) => (
                    <option value={p.id} selected={values.assigneeId === p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              )}
            />
            <Field
              {...common}
              name="reason"
              label={fieldLabels.reason!}
              control={(a) => (
                <input {...a} type="text" required maxlength={500} value={values.reason ?? ''} />
              )}
            />
          </>
        );
    }
  };
  return (
    <>
      {props.steps.map((step) => {
        const mine = props.state?.step === step ? props.state : null;
        const errors = mine?.errors ?? {};
        return (
          <section class="card" aria-labelledby={`${step}-title`} data-step={step}>
            <h3 id={`${step}-title`}>{inLang(titles[step], lang)}</h3>
            {errors._form && (
              <p class="field-error" role="alert">
                {inLang(errors._form, lang)}
              </p>
            )}
            <form
              method="post"
              action={`/app/cases/${encodeURIComponent(view.caseId)}/${handlingPaths[step]}`}
              novalidate
            >
              <Csrf token={props.csrfToken} />
              {fieldsOf(step, mine?.values ?? {}, errors)}
              <div class="actions">
                <button type="submit">{t('提交', 'Submit')}</button>
              </div>
            </form>
          </section>
        );
      })}
    </>
  );
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The dropdown's own words: the API's id rules ("须为名录中员工的编号") are no help beside a list. */
const CHOOSE_COLLEAGUE: Bilingual = {
  zh: '接手人：请从列表中选择一位同事',
  en: 'Colleague: choose who takes it over from the list',
};

/**
 * The form posts of the handling steps: each goes back to the case page with a flash, or to the
 * workbench when the step leaves the person unable to read the case. A refused field comes back
 * beside it with what was typed, as the stage steps' forms do (case-page.tsx).
 */
export function caseHandlingPageRoutes(app: Hono<WebEnv>, deps: AppDeps): void {
  const post = <S extends z.ZodType, I>(
    step: HandlingStep,
    schema: S,
    form: (f: Record<string, unknown>) => unknown,
    update: UpdateDefinition<StepAck, [I]>,
    toInput: (b: z.output<S>, actor: Actor, dir: Directory, lang: Lang) => I,
    done: (b: z.output<S>, dir: Directory) => Bilingual,
  ) =>
    app.post(`/cases/:caseId/${handlingPaths[step]}`, async (c: WebContext) => {
      const caseId = caseIdOf(c);
      const back = `/app/cases/${encodeURIComponent(caseId)}`;
      let posted: Record<string, unknown> = {};
      const again = (errors: FieldErrors, status: 400 | 422) =>
        renderCase(c, deps, caseId, { step, values: formValues(posted), errors }, status);
      try {
        posted = await formOr400(c, { all: true });
        // Each field is sent once: a field sent twice (a script, a tampered form) is refused, as on
        // the new-case form, rather than one of its values taken silently.
        const repeated = repeatedFields(posted);
        if (repeated.length > 0)
          return await again(
            {
              ...Object.fromEntries(repeated.map((k) => [k, REPEATED_FIELD])),
              _form: {
                zh: `表单字段重复（${repeated.join('、')}），没有执行。`,
                en: `A field came more than once (${repeated.join(', ')}); nothing was done.`,
              },
            },
            400,
          );
        const parsed = parseForm(schema, form(posted), fieldLabels);
        if (!parsed.ok) {
          const errors = { ...parsed.errors };
          if (errors.assigneeId) errors.assigneeId = CHOOSE_COLLEAGUE;
          return await again(errors, 400);
        }
        const viewer = viewerOf(c);
        const { view, dir } = await readCaseFor(deps, viewer, caseId);
        if (isTerminal(view.stage)) throw finishedCase(view);
        const actor = withSupervision(dir, viewer.actor);
        const input = toInput(parsed.data, actor, dir, c.get('lang'));
        await deps.temporal.workflow.getHandle(caseId).executeUpdate(update, { args: [input] });
        const said = done(parsed.data, dir);
        // A hand-over (or a reassignment) can take the case out of the person's reach: the case
        // page would only refuse them, so they go to their workbench. Judged by the API's own
        // read rule on the case as it is after the step.
        const after = await readCase(deps, caseId).catch(() => null);
        const gone = after !== null && readRefusal(viewer, dir, after.view) !== null;
        return redirectWithFlash(c, gone ? '/app' : back, { kind: 'ok', text: said });
      } catch (err) {
        const { text, fields } = refusalOf(err);
        if (Object.keys(fields).length > 0) {
          if (fields.assigneeId) fields.assigneeId = CHOOSE_COLLEAGUE;
          return again({ ...fields, _form: text }, 422);
        }
        return redirectWithFlash(c, back, { kind: 'error', text });
      }
    });

  const to = (zh: string, en: string) => (b: { assigneeId: string }, dir: Directory) => {
    const name = dir.people.find((p) => p.id === b.assigneeId)?.name ?? b.assigneeId;
    return { zh: `${zh}${name}`, en: `${en}${name}` };
  };
  const always = (text: Bilingual) => () => text;

  post(
    'arrived',
    arrivedSchema,
    (f) => (str(f.note)?.trim() ? { note: str(f.note) } : {}),
    arrivedUpdate,
    (b, actor) => ({ actor, note: b.note }),
    always({ zh: '已登记到场', en: 'Arrival recorded' }),
  );
  post(
    'request_pause',
    pauseRequestSchema,
    (f) => ({ reason: str(f.reason) ?? '', note: str(f.note) ?? '' }),
    requestPauseUpdate,
    (b, actor) => ({ actor, reason: b.reason, note: b.note }),
    always({ zh: '暂停申请已提交，等待主管审批', en: 'Pause requested; a supervisor will decide' }),
  );
  post(
    'decide_pause',
    pauseDecisionSchema,
    // Only the two radio values decide: anything else (or nothing) is asked for again, never an approval.
    (f) => ({
      approve: f.approve === 'true' ? true : f.approve === 'false' ? false : undefined,
      notes: str(f.notes) ?? '',
    }),
    decidePauseUpdate,
    (b, actor) => ({ actor, approve: b.approve, notes: b.notes }),
    always({ zh: '暂停申请已处理', en: 'Pause request decided' }),
  );
  post(
    'end_pause',
    endPauseSchema,
    () => ({}),
    endPauseUpdate,
    (_b, actor) => ({ actor }),
    always({
      zh: '暂停已结束，恢复计时；当前环节时限已按暂停时长顺延',
      en: 'Pause ended; the clocks run again and the stage deadline moved on by the pause',
    }),
  );
  post(
    'reassign',
    reassignSchema,
    (f) => ({ assigneeId: str(f.assigneeId) ?? '', reason: str(f.reason) ?? '' }),
    reassignUpdate,
    (b, actor, dir, lang) => ({ actor, toId: colleagueOf(dir, b.assigneeId, lang), reason: b.reason }),
    to('已改派给 ', 'Case reassigned to '),
  );
  post(
    'hand_over',
    reassignSchema,
    (f) => ({ assigneeId: str(f.assigneeId) ?? '', reason: str(f.reason) ?? '' }),
    handOverUpdate,
    (b, actor, dir, lang) => ({ actor, toId: colleagueOf(dir, b.assigneeId, lang), reason: b.reason }),
    to('已转交给 ', 'Case handed over to '),
  );
}
