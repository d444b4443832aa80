// The case page's forms for the steps beside the stages (arrival, pauses, reassignment, hand-over)
// and which of them a person may take now.
import { pauseReasonLabels, pauseReasons } from '../../../domain/case-clocks.ts';
import { checkHandling, type HandlingStep } from '../../../domain/case-handling.ts';
import { type CaseView } from '../../../domain/case-model.ts';
import { withSupervision, type Directory } from '../../../domain/directory.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { personChoiceLabels } from '../../../domain/person-option.ts';
import type { Caller } from '../../auth.ts';
import { precheckPolicy } from '../../case-service.ts';
import type { AppDeps } from '../../deps.ts';
import { Field, type FieldErrors } from '../ui.tsx';
import { StepCard, type FormState } from './case-form-state.tsx';

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
export const handlingFieldLabels: Record<string, Bilingual> = {
  reason: { zh: '原因', en: 'Reason' },
  note: { zh: '说明', en: 'Note' },
  notes: { zh: '说明', en: 'Notes' },
  assigneeId: { zh: '接手人', en: 'Colleague' },
  approve: { zh: '审批结果', en: 'Decision' },
};

/** Each handling form's heading, also how the page's error summary names the form. */
export const handlingTitles: Record<HandlingStep, Bilingual> = {
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

/** One form per handling step the viewer may take now; a refused one comes back as it was sent. */
export function HandlingForms(props: {
  steps: HandlingStep[];
  view: CaseView;
  dir: Directory;
  lang: Lang;
  csrfToken: string;
  state?: FormState | null | undefined;
}) {
  const { view, dir, lang } = props;
  const t = (zh: string, en: string) => inLang({ zh, en }, lang);
  const staff = dir.people.filter((p) => p.roles.includes('staff') && p.id !== view.assigneeId);
  const staffLabels = personChoiceLabels(staff, lang, dir.departments);
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
              label={handlingFieldLabels.reason!}
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
              label={handlingFieldLabels.note!}
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
              <legend>{inLang(handlingFieldLabels.approve!, lang)}</legend>
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
              label={handlingFieldLabels.notes!}
              control={(a) => <input {...a} type="text" maxlength={2000} value={values.notes ?? ''} />}
            />
            <p class="hint">
              {t(
                '驳回时须填写理由：理由会随邮件发给申请人。',
                'A rejection needs a reason: it is mailed to whoever asked.',
              )}
            </p>
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
              label={handlingFieldLabels.assigneeId!}
              // The name leads (then `required`), as the list has always been written.
              control={({ name, ...a }) => (
                <select name={name} required {...a}>
                  {/* Nobody chosen until someone is: a case must not go to whoever sorts first. */}
                  <option value="" selected={!staff.some((p) => p.id === values.assigneeId)}>
                    {t('请选择', 'Choose…')}
                  </option>
                  {staff.map((p) => (
                    <option value={p.id} selected={values.assigneeId === p.id}>
                      {staffLabels.get(p.id)}
                    </option>
                  ))}
                </select>
              )}
            />
            <Field
              {...common}
              name="reason"
              label={handlingFieldLabels.reason!}
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
          <StepCard
            step={step}
            title={handlingTitles[step]}
            lang={lang}
            formError={errors._form}
            action={`/app/cases/${encodeURIComponent(view.caseId)}/${handlingPaths[step]}`}
            csrfToken={props.csrfToken}
            submit={{ zh: '提交', en: 'Submit' }}
          >
            {fieldsOf(step, mine?.values ?? {}, errors)}
          </StepCard>
        );
      })}
    </>
  );
}
