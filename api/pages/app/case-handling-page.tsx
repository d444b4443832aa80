// The form posts of the steps beside the stages (arrival, pauses, reassignment, hand-over); their
// forms are in case-handling-forms.tsx and the page they come back to in case-view.tsx.
import { formOr400 } from '../../form-body.ts';
import type { UpdateDefinition } from '@temporalio/common';
import type { Hono } from 'hono';
import type { z } from 'zod';
import { type HandlingStep } from '../../../domain/case-handling.ts';
import { isTerminal, type Actor } from '../../../domain/case-model.ts';
import { withSupervision, type Directory } from '../../../domain/directory.ts';
import { type Bilingual, type Lang } from '../../../domain/text.ts';
import {
  arrivedUpdate,
  decidePauseUpdate,
  endPauseUpdate,
  handOverUpdate,
  reassignUpdate,
  requestPauseUpdate,
  type StepAck,
} from '../../../workflows/rectification-case/messages.ts';
import { colleagueOf, finishedCase, readCaseFor } from '../../case-service.ts';
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
import { type FieldErrors } from '../ui.tsx';
import { handlingFieldLabels, handlingPaths } from './case-handling-forms.tsx';
import { renderCase, renderRefused } from './case-view.tsx';
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

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The dropdown's own words: the API's id rules ("须为名录中员工的编号") are no help beside a list. */
const CHOOSE_COLLEAGUE: Bilingual = {
  zh: '接手人：请从列表中选择一位同事',
  en: 'Colleague: choose who takes it over from the list',
};

/**
 * The form posts of the handling steps: each goes back to the case page with a flash, or to the
 * workbench when the step leaves the person unable to read the case. A refused one comes back on
 * the case page with what was typed, as the stage steps' forms do (case-page.tsx): a refused field
 * beside it, a refusal that names none (the case finished, a budget spent) over the form.
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
        const parsed = parseForm(schema, form(posted), handlingFieldLabels);
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
        const { text, fields, status } = refusalOf(err);
        if (fields.assigneeId) fields.assigneeId = CHOOSE_COLLEAGUE;
        const named = Object.keys(fields).length > 0;
        return renderRefused(
          c,
          deps,
          caseId,
          { step, values: formValues(posted), errors: { ...fields, _form: text } },
          named ? 422 : status,
        );
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
    // The supervisor reads back which way it went: an approval holds the clocks, a rejection does not.
    (b) =>
      b.approve
        ? { zh: '已批准暂停申请，案件计时暂停', en: 'Pause request approved; the clocks are held' }
        : { zh: '已驳回暂停申请，案件计时照常', en: 'Pause request rejected; the clocks keep running' },
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
