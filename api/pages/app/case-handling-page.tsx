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
import { Csrf, formatTime, HeldOrDue, StateCell } from '../ui.tsx';
import { caseIdOf, parseForm, redirectWithFlash, refusalOf, viewerOf, type WebContext } from './web-kit.tsx';

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

/** One form per handling step the viewer may take now. */
export function HandlingForms(props: {
  steps: HandlingStep[];
  view: CaseView;
  dir: Directory;
  lang: Lang;
  csrfToken: string;
}) {
  const { view, dir, lang } = props;
  const t = (zh: string, en: string) => inLang({ zh, en }, lang);
  const staff = dir.people.filter((p) => p.roles.includes('staff') && p.id !== view.assigneeId);
  const fieldsOf = (step: HandlingStep) => {
    switch (step) {
      case 'arrived':
        return (
          <label>
            {t('说明（可选）', 'Note (optional)')} <input type="text" name="note" maxlength={500} />
          </label>
        );
      case 'request_pause':
        return (
          <>
            <label>
              {t('原因', 'Reason')}{' '}
              <select name="reason" required>
                {pauseReasons.map((r) => (
                  <option value={r}>{inLang(pauseReasonLabels[r], lang)}</option>
                ))}
              </select>
            </label>
            <label>
              {t('说明', 'Note')} <input type="text" name="note" maxlength={500} />
            </label>
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
            <label>
              <input type="radio" name="approve" value="true" checked /> {t('批准', 'Approve')}
            </label>
            <label>
              <input type="radio" name="approve" value="false" /> {t('驳回', 'Reject')}
            </label>
            <label>
              {t('说明', 'Notes')} <input type="text" name="notes" maxlength={2000} />
            </label>
          </>
        );
      case 'end_pause':
        return null;
      case 'reassign':
      case 'hand_over':
        return (
          <>
            <label>
              {t('接手人', 'Colleague')}{' '}
              <select name="assigneeId" required>
                {/* Nobody chosen until someone is: a case must not go to whoever sorts first. */}
                <option value="" selected>
                  {t('请选择', 'Choose…')}
                </option>
                {staff.map((p) => (
                  <option value={p.id}>{p.name}</option>
                ))}
              </select>
            </label>
            <label>
              {t('原因', 'Reason')} <input type="text" name="reason" required maxlength={500} />
            </label>
          </>
        );
    }
  };
  return (
    <>
      {props.steps.map((step) => (
        <section class="card" aria-labelledby={`${step}-title`} data-step={step}>
          <h3 id={`${step}-title`}>{inLang(titles[step], lang)}</h3>
          <form method="post" action={`/app/cases/${encodeURIComponent(view.caseId)}/${handlingPaths[step]}`}>
            <Csrf token={props.csrfToken} />
            {fieldsOf(step)}
            <div class="actions">
              <button type="submit">{t('提交', 'Submit')}</button>
            </div>
          </form>
        </section>
      ))}
    </>
  );
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The form posts of the handling steps: each goes back to the case page with a flash. */
export function caseHandlingPageRoutes(app: Hono<WebEnv>, deps: AppDeps): void {
  const post = <S extends z.ZodType, I>(
    step: HandlingStep,
    schema: S,
    form: (f: Record<string, unknown>) => unknown,
    update: UpdateDefinition<StepAck, [I]>,
    toInput: (b: z.output<S>, actor: Actor, dir: Directory, lang: Lang) => I,
    done: Bilingual,
  ) =>
    app.post(`/cases/:caseId/${handlingPaths[step]}`, async (c: WebContext) => {
      const caseId = { data: caseIdOf(c) };
      const back = `/app/cases/${encodeURIComponent(caseId.data)}`;
      try {
        const posted = await formOr400(c, { all: true });
        // Each field is sent once: a field sent twice (a script, a tampered form) is refused, as on
        // the new-case form, rather than one of its values taken silently.
        const repeated = Object.keys(posted).filter((k) => Array.isArray(posted[k]));
        if (repeated.length > 0)
          return redirectWithFlash(c, back, {
            kind: 'error',
            text: {
              zh: `表单字段重复（${repeated.join('、')}），没有执行。请刷新页面后重新提交。`,
              en: `A field came more than once (${repeated.join(', ')}); nothing was done. Reload the page and submit again.`,
            },
          });
        const parsed = parseForm(schema, form(posted));
        if (!parsed.ok) {
          const [field, first] = Object.entries(parsed.errors)[0] ?? [];
          const label = field ? fieldLabels[field] : undefined;
          return redirectWithFlash(c, back, {
            kind: 'error',
            // The flash stands above the page, away from its field: it says which one. The
            // colleague is a dropdown: the id rules of the API ("须为名录中员工的编号") are no help there.
            text: first
              ? field === 'assigneeId'
                ? {
                    zh: '接手人：请从列表中选择一位同事',
                    en: 'Colleague: choose who takes it over from the list',
                  }
                : label
                  ? { zh: `${label.zh}：${first.zh}`, en: `${label.en}: ${first.en}` }
                  : first
              : { zh: '表单有误', en: 'The form has errors' },
          });
        }
        const { view, dir } = await readCaseFor(deps, viewerOf(c), caseId.data);
        if (isTerminal(view.stage)) throw finishedCase(view);
        const actor = withSupervision(dir, viewerOf(c).actor);
        const input = toInput(parsed.data, actor, dir, c.get('lang'));
        await deps.temporal.workflow.getHandle(caseId.data).executeUpdate(update, { args: [input] });
        return redirectWithFlash(c, back, { kind: 'ok', text: done });
      } catch (err) {
        return redirectWithFlash(c, back, { kind: 'error', text: refusalOf(err).text });
      }
    });

  post(
    'arrived',
    arrivedSchema,
    (f) => (str(f.note)?.trim() ? { note: str(f.note) } : {}),
    arrivedUpdate,
    (b, actor) => ({ actor, note: b.note }),
    { zh: '已登记到场', en: 'Arrival recorded' },
  );
  post(
    'request_pause',
    pauseRequestSchema,
    (f) => ({ reason: str(f.reason) ?? '', note: str(f.note) ?? '' }),
    requestPauseUpdate,
    (b, actor) => ({ actor, reason: b.reason, note: b.note }),
    { zh: '暂停申请已提交，等待主管审批', en: 'Pause requested; a supervisor will decide' },
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
    { zh: '暂停申请已处理', en: 'Pause request decided' },
  );
  post(
    'end_pause',
    endPauseSchema,
    () => ({}),
    endPauseUpdate,
    (_b, actor) => ({ actor }),
    {
      zh: '暂停已结束，恢复计时；当前环节时限已按暂停时长顺延',
      en: 'Pause ended; the clocks run again and the stage deadline moved on by the pause',
    },
  );
  post(
    'reassign',
    reassignSchema,
    (f) => ({ assigneeId: str(f.assigneeId) ?? '', reason: str(f.reason) ?? '' }),
    reassignUpdate,
    (b, actor, dir, lang) => ({ actor, toId: colleagueOf(dir, b.assigneeId, lang), reason: b.reason }),
    { zh: '案件已改派', en: 'Case reassigned' },
  );
  post(
    'hand_over',
    reassignSchema,
    (f) => ({ assigneeId: str(f.assigneeId) ?? '', reason: str(f.reason) ?? '' }),
    handOverUpdate,
    (b, actor, dir, lang) => ({ actor, toId: colleagueOf(dir, b.assigneeId, lang), reason: b.reason }),
    { zh: '案件已移交', en: 'Case handed over' },
  );
}
