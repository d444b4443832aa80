// The case page itself (renderCase): shared by the stage steps' routes (case-page.tsx) and the
// handling steps' routes (case-handling-page.tsx), which both answer a refused form with it.
import { isItemId } from '../../../domain/case-citation.ts';
import { enCount } from '../../../domain/english-count.ts';
import { evidenceTypesIn } from '../../../store/evidence.ts';
import { notesWithoutEvidence } from '../../../domain/evidence-ref.ts';
import { caseCitation } from '../../../domain/case-citation.ts';
import { reportedAtOf } from '../../../domain/case-clocks.ts';
import { categoryLabel } from '../../../domain/intake.ts';
import { type CaseView } from '../../../domain/case-model.ts';
import type { Directory } from '../../../domain/directory.ts';
import { placeNameOf } from '../../../domain/place-name.ts';
import { inLang, splitBilingual, upFirst, type Bilingual, type Lang } from '../../../domain/text.ts';
import { caseTitleIn } from '../../../domain/case-title.ts';
import { slaLabelNow } from '../../../domain/sla.ts';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { readCaseFor } from '../../case-service.ts';
import { directoryOrFail, readCase } from '../../reads.ts';
import { ProblemError } from '../../middleware/problems.ts';
import type { Caller } from '../../auth.ts';
import { pinnedSupervisorsQuery } from '../../../workflows/rectification-case/messages.ts';
import { reportsOfCase, type Report } from '../../../store/reports.ts';
import { heldBefore } from '../../../store/case-moves.ts';
import type { AppDeps } from '../../deps.ts';
import {
  StateCell,
  DeadlineDue,
  SeverityBadge,
  StageBadge,
  formatTime,
  sourceLabels,
  stageLabels,
  type FlashMessage,
} from '../ui.tsx';
import { CaseClocks } from './case-clocks-card.tsx';
import { caseFollowUps } from './case-follow-ups.ts';
import { personNamer } from '../../directory-names.ts';
import { Description, Evidence, EvidenceTypes, photosOfDescription } from './case-evidence.tsx';
import { FORM_STEPS, isFormStep, type FormState, type FormStep } from './case-form-state.tsx';
import { allowedHandling, handlingTitles, HandlingForms } from './case-handling-forms.tsx';
import {
  allowedSteps,
  inFieldOrder,
  PHOTO_SCRIPT,
  StepForm,
  stepPaths,
  stepTitles,
} from './case-step-forms.tsx';
import { Timeline, timelineOf } from './case-timeline.tsx';
import { exportHref, verifyHref } from './audit-links.ts';
import { AUDIT_READERS } from '../../routes/audit.ts';
import { reporterShownTo, WITHHELD_REPORTER } from '../../reporter-privacy.ts';
import { readRefusalText, renderNoLongerYours } from './case-refused-page.tsx';
import { personLabelOf, UnsavedText, UNSAVED_TITLE } from './case-unsaved.tsx';
import { lastMove, movedOnText, notOvertaken } from '../../../domain/case-moved-on.ts';
import { page, refusalOf, takeUnsaved, viewerOf, type WebContext } from './web-kit.tsx';
import { closureDueNote, closureOnDue, type NamedClosure } from '../../../domain/closure-on-due.ts';
import { currentCalendarReader } from '../../../infra/calendar.ts';

/**
 * /app/cases/{caseId}: the case, its deadlines, one merged timeline, and the
 * forms of exactly the steps this person may take now. Which steps is
 * decided by the same rule the API and the workflow use (case-service's
 * stepRefusal → domain checkStep); every POST goes through the same workflow
 * updates as the API (case-service takeStep), then back here with a flash;
 * a refused one comes back on this page, its message shown and what was typed kept.
 */

/** A review's notes, without the photo references the review form appended to them, and the photos. */
function ReviewNotes(props: { notes: string; lang: Lang }) {
  const { text, refs } = notesWithoutEvidence(props.notes);
  return (
    <>
      <p>{text}</p>
      <Evidence refs={refs} lang={props.lang} />
    </>
  );
}

const placeOf = (dir: Directory, v: CaseView, lang: Lang): string =>
  inLang(placeNameOf(dir, v.location), lang);

// One reader per app: it keeps each saved version parsed and the file read once.
const calendarReaders = new WeakMap<AppDeps, () => Promise<{ file: { closures: NamedClosure[] } }>>();

/** The school's closures in the calendar in force; none when it cannot be read (the page still shows). */
async function closuresInForce(deps: AppDeps): Promise<NamedClosure[]> {
  let read = calendarReaders.get(deps);
  if (!read) {
    read = currentCalendarReader(deps.env, { ddb: deps.aws.ddb, tables: deps.aws.tables });
    calendarReaders.set(deps, read);
  }
  try {
    return (await read()).file.closures;
  } catch (err) {
    console.error('[web] case page: the calendar in force could not be read', err);
    return [];
  }
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

export async function renderCase(
  c: WebContext,
  deps: AppDeps,
  caseId: string,
  state: FormState | null,
  status: ContentfulStatusCode = 200,
) {
  const viewer = viewerOf(c);
  const lang = c.get('lang');
  const t = (zh: string, en: string) => inLang({ zh, en }, lang);
  const tz = deps.env.CAMPUS_TZ;
  const now = new Date();
  const { view, dir } = await readForPage(deps, viewer, caseId);
  // The scanned-code reports this case answers, with when each was reported (its clocks may start there).
  const reports = await reportsOfCase(deps.aws, caseId);
  // A merged report's photos are in no text of the case (its description is the opening report's):
  // shown beside each report merged into this case, which its readers may open (api/routes/evidence.ts).
  const mergedPhotosOf = (r: Report) => (r.status === 'merged' && r.caseId === caseId ? r.evidence : []);
  const descriptionPhotos = await photosOfDescription(deps, caseId, view.description);
  // The weekly feedback's department follow-ups marked handled on this case (when, by whom, what was done).
  const followUps = await caseFollowUps(deps, dir, view, now);
  // The closures of the calendar in force, for a pending deadline a closure saved later lands on.
  const closures = view.deadlines.some((d) => d.state === 'pending' && !d.closedAt)
    ? await closuresInForce(deps)
    : [];
  // Someone who has left the directory keeps the name they had, marked so, not a bare id.
  const closureNote = (due: string) => {
    const closure = closureOnDue(due, tz, closures);
    return closure ? (
      <small data-closure-note style="display:block">
        {inLang(closureDueNote(closure), lang)}
      </small>
    ) : null;
  };
  // The step that moved the case on, for a form sent from a page read before it.
  const moved = lastMove(view);
  const nameOf = await personNamer(deps.aws, dir, [
    ...(moved && moved.actorId !== 'system' && !moved.actorId.startsWith('reporter:') ? [moved.actorId] : []),
    view.assigneeId,
    view.responsibleId,
    view.openedBy,
    ...view.rectifications.map((r) => r.by),
    ...view.reviews.map((r) => r.by),
    ...followUps.map((f) => f.by),
  ]);
  const steps = allowedSteps(deps, dir, viewer, view);
  const handling = allowedHandling(deps, dir, viewer, view);
  state ??= unsavedStepForm(c, caseId);
  // A form sent for a step that is no longer this person's (the case finished, the stage moved on)
  // still comes back, with what was typed, rather than vanishing with the text.
  // Its form is not drawn again (a form with no button reads as one to fill in): what was typed is
  // shown read-only to copy, and the page says what moved the case on, read now.
  const stale =
    state && !(isFormStep(state.step) ? steps.includes(state.step) : handling.includes(state.step));
  // A step refused for who the person is (403) was never theirs: its refusal says so. Any other
  // (409: the case moved on meanwhile) is told by what moved it on.
  // A form for a stage the case has not reached yet, or for a step this case never offers (an
  // arrival on a complaint), sent from an old page or by hand, was not overtaken by anyone: the
  // refusal's own words say why.
  const movedOn =
    stale && status !== 403 && !(state && notOvertaken(state.step, view))
      ? movedOnText(
          view,
          moved,
          !moved || moved.actorId === 'system'
            ? null
            : moved.actorId.startsWith('reporter:')
              ? { zh: '报告人', en: 'the reporter' }
              : { zh: nameOf(moved.actorId, 'zh-CN'), en: nameOf(moved.actorId, 'en') },
          formatTime(moved?.at ?? view.openedAt, tz),
        )
      : null;
  // What every step and handling form on the page is drawn from.
  const forms = { view, dir, lang, csrfToken: c.get('csrfToken'), state };
  // Staff who only handle the case get no reporter's contact, nor their name on a complaint about staff.
  const shown = reporterShownTo(viewer, dir, view);
  const { rows, history } = await timelineOf(deps, dir, caseId, lang, { shown, reporter: view.reporter });
  const roles = viewer.person.roles;
  // The workflow behind the case is engineering detail: its UI for admins, its event numbers also
  // for auditors, who read the same history through the audit API.
  const isAdmin = roles.includes('admin');
  const workflowEvents = isAdmin || roles.includes('auditor');
  const auditLinks = roles.some((r) => AUDIT_READERS.includes(r));
  const evidenceTypes = await evidenceTypesIn(deps, [view, rows, reports.map(mergedPhotosOf)]);
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
    `${view.caseId} · ${caseTitleIn(view.title, lang)}`,
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
                {/* The item by its own label, its dimension after it: "安全 1 消防管理（天天安全保障）". */}
                {lang === 'en'
                  ? `${cited.label.en} (${cited.dimensionName.en})`
                  : `${cited.label.zh}（${cited.dimensionName.zh}）`}
              </a>,
            )}
          {dl({ zh: '位置', en: 'Place' }, placeOf(dir, view, lang))}
          {dl({ zh: '负责人', en: 'Assignee' }, nameOf(view.assigneeId, lang))}
          {dl({ zh: '责任人', en: 'Responsible' }, nameOf(view.responsibleId, lang))}
          {dl(
            { zh: '登记', en: 'Opened' },
            `${nameOf(view.openedBy, lang)} · ${formatTime(view.openedAt, tz)}`,
          )}
          {reportedAt && dl({ zh: '报告时间', en: 'Reported' }, formatTime(reportedAt, tz))}
          {dl(
            { zh: '时限规则', en: 'Time limits' },
            `${inLang(slaLabelNow(view.sla), lang)} (${view.sla.version})`,
          )}
          {dl(
            { zh: '轮次', en: 'Round' },
            `${view.round}${view.failedReviews > 0 ? t(`（复查不合格 ${view.failedReviews} 次）`, ` (${enCount(view.failedReviews, 'failed review')})`) : ''}`,
          )}
          {view.reporter &&
            dl(
              { zh: '报告人', en: 'Reporter' },
              shown === 'none' ? (
                <span data-reporter-withheld="">
                  {inLang(WITHHELD_REPORTER, lang)}
                  <small class="muted" style="display:block">
                    {t(
                      '对员工的投诉不向处理案件的员工显示报告人。',
                      'A complaint about staff does not name its reporter to the staff handling it.',
                    )}
                  </small>
                </span>
              ) : (
                view.reporter.name
              ),
            )}
          {reports.length > 0 &&
            dl(
              { zh: '扫码报告', en: 'Scanned reports' },
              reports.map((r) => (
                <div data-report={r.reportId}>
                  {r.reportId} · {t('报告时间', 'reported at')} {formatTime(r.receivedAt, tz)}
                  {r.status === 'merged' ? t('（并入）', ' (merged)') : ''}
                  {mergedPhotosOf(r).length > 0 && (
                    <div data-report-photos>
                      <Evidence
                        refs={mergedPhotosOf(r)}
                        lang={lang}
                        alt={{ zh: `${r.reportId} 照片`, en: `${r.reportId} photo` }}
                      />
                    </div>
                  )}
                </div>
              )),
            )}
          {followUps.length > 0 &&
            dl(
              { zh: '院系跟进', en: 'Department follow-up' },
              followUps.map((f) => (
                <div data-follow-up={f.week}>
                  {f.week} {inLang(f.department, lang)} · {t('已处理', 'handled')} {formatTime(f.at, tz)} ·{' '}
                  {nameOf(f.by, lang)}
                  {f.note ? ` · ${f.note}` : ''}
                </div>
              )),
            )}
          {dl(
            { zh: '描述', en: 'Description' },
            <Description
              text={view.description}
              lang={lang}
              shown={descriptionPhotos}
              written={view.source === 'inspection' && isItemId(view.category)}
            />,
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
                    {d.state === 'pending' && !d.closedAt && closureNote(d.due)}
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
            <strong>{t('根本原因：', 'Root causes: ')}</strong>
            {view.rootCause.causes.join(lang === 'en' ? '; ' : '；')}
          </p>
          <p>
            <strong>{t('整改方案：', 'Plan: ')}</strong>
            {view.rootCause.plan}
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
                    {t(`第 ${r.round} 轮整改`, `Round ${r.round} rectification`)} · {nameOf(r.by, lang)} ·{' '}
                    {formatTime(r.at, tz)}
                  </h3>
                  <p>{r.summary}</p>
                  <Evidence refs={r.evidence} lang={lang} />
                </div>
              ) : review ? (
                <div data-work={`review-${review.round}`}>
                  <h3>
                    {t(`第 ${review.round} 轮复查：`, `Round ${review.round} review: `)}
                    {review.passed ? t('合格', 'passed') : t('不合格', 'failed')} · {nameOf(review.by, lang)}{' '}
                    · {formatTime(review.at, tz)}
                  </h3>
                  <ReviewNotes notes={review.notes} lang={lang} />
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
        {auditLinks && (
          <div class="card" data-audit-links="">
            <h3 style="margin-top:0">{t('审计', 'Audit')}</h3>
            <p class="actions">
              <a class="button secondary" href={verifyHref(caseId)}>
                {t('校验此案件的审计链', 'Verify this case’s audit chain')}
              </a>
              <a class="button secondary" href={exportHref(caseId, 'csv')}>
                {t('导出 CSV', 'Export CSV')}
              </a>
              <a class="button secondary" href={exportHref(caseId, 'json')}>
                {t('导出 JSON', 'Export JSON')}
              </a>
            </p>
          </div>
        )}
        {steps.length === 0 && handling.length === 0 && !signOffPending && !auditLinks && (
          <p class="muted">
            {t('此案件当前没有需要您处理的步骤。', 'Nothing on this case waits for you now.')}
          </p>
        )}
        {stale && state && (
          <UnsavedText
            state={state}
            form={formTitle(state)}
            lang={lang}
            personLabel={personLabelOf(dir, lang)}
          />
        )}
        {steps.map((s) => (
          <StepForm step={s} {...forms} />
        ))}
        <HandlingForms steps={handling} {...forms} />
      </section>

      <section class="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('时间线', 'Timeline')}</h2>
        {isAdmin && (
          <p>
            <a href={temporalUrl} rel="noopener" target="_blank">
              {t('在 Temporal UI 中查看此案件的工作流', 'Open this case’s workflow in the Temporal UI')}
            </a>
          </p>
        )}
        <Timeline rows={rows} lang={lang} tz={tz} history={history} workflowEvents={workflowEvents} />
      </section>
      {wantsPhotos && <script dangerouslySetInnerHTML={{ __html: PHOTO_SCRIPT }} />}
    </EvidenceTypes.Provider>,
    {
      status,
      currentUrl: `/app/cases/${encodeURIComponent(caseId)}`,
      // A form offered again after sign-in has no errors: the page says it was not saved instead.
      flash: state ? flashFor(state, stale ? { movedOn } : null) : undefined,
    },
  );
}

/**
 * The case as `readCaseFor` reads it; refused, a 403 whose words are sentences for the page that
 * say why: a supervisor moved to other buildings is told they no longer supervise this one, not
 * only the rule in a clause starting lowercase. The API's refusal (assertCanRead) is unchanged.
 */
async function readForPage(deps: AppDeps, viewer: Caller, caseId: string) {
  try {
    return await readCaseFor(deps, viewer, caseId);
  } catch (err) {
    if (!(err instanceof ProblemError) || err.type !== 'forbidden') throw err;
    const rule = typeof err.detail === 'string' ? splitBilingual(err.detail) : err.detail;
    // Read again for its building: a read that fails now still refuses, with the rule alone.
    const [read, dir] = await Promise.all([readCase(deps, caseId).catch(() => null), directoryOrFail(deps)]);
    if (!read) throw new ProblemError('forbidden', readRefusalText({ caseId }, rule));
    const { view } = read;
    const me = viewer.person.id;
    const supervisor = viewer.person.roles.includes('supervisor');
    const building = dir.buildings.find((b) => b.id === view.location.buildingId)?.name ?? {
      zh: view.location.buildingId,
      en: view.location.buildingId,
    };
    // Pinned when the case opened (a finished case may not answer: then its timeline tells).
    const pinned = supervisor
      ? await deps.temporal.workflow
          .getHandle(caseId)
          .query(pinnedSupervisorsQuery)
          .catch(() => [] as string[])
      : [];
    const forPerson = readRefusalText(
      {
        caseId,
        building,
        supervisorOf: supervisor
          ? dir.buildings.filter((b) => b.supervisorIds.includes(me)).map((b) => b.name)
          : undefined,
        supervisedBefore: supervisor && (pinned.includes(me) || view.timeline.some((e) => e.actorId === me)),
      },
      rule,
    );
    throw new ProblemError('forbidden', forPerson);
  }
}

/** A refusal's English, which reads as a clause ("case is withdrawn"), as a sentence of its own. */
const sentence = (en: string) => upFirst(en).replace(/[.。]$/u, '');

const formTitle = (state: FormState): Bilingual =>
  isFormStep(state.step) ? stepTitles[state.step] : handlingTitles[state.step];

/**
 * The page's message over a refused form, naming the form (the page holds many, far below the
 * top): its fields to correct, each linked to its control, or (a refusal naming no field) the
 * refusal itself, saying that nothing was saved and the text is still there, with a link to it.
 */
function flashFor(
  state: FormState,
  /** Set when the form is not offered now; `movedOn` says what moved the case on, if that is why. */
  stale: { movedOn: Bilingual | null } | null,
): FlashMessage | undefined {
  const { step, errors } = state;
  const form = formTitle(state);
  // The form no longer applies: whatever was wrong with it, what matters is why it cannot be sent.
  if (stale) {
    const why = stale.movedOn ?? errors._form;
    const toBox = {
      href: '#unsaved-title',
      text: { zh: `前往「${UNSAVED_TITLE.zh}」`, en: `Go to “${UNSAVED_TITLE.en}”` },
    };
    return {
      kind: 'error',
      text: {
        zh: `${form.zh}：没有保存。${why ? `${why.zh.replace(/[。.]$/u, '')}，此表单${stale.movedOn ? '已' : ''}不能提交。` : '此表单现在不能提交。'}您填写的内容保留在下方「${UNSAVED_TITLE.zh}」中，可复制。`,
        en: `${form.en}: nothing was saved. ${why ? `${sentence(why.en)}, so this form cannot be sent. ` : 'This form cannot be sent now. '}What you typed is kept below under “${UNSAVED_TITLE.en}” for you to copy.`,
      },
      links: [toBox],
    };
  }
  // Listed as the form shows its fields (the checks find them in another order).
  const fields = inFieldOrder(
    step,
    Object.entries(errors).filter(([k]) => k !== '_form'),
  );
  if (fields.length > 0)
    return {
      kind: 'error',
      text: {
        zh: `${form.zh}：请更正以下内容后重新提交`,
        en: `${form.en}: correct the following and submit again`,
      },
      // A field's id is the form's step and its name (ui.tsx Field), a list's entries the list's.
      links: fields.map(([k, text]) => ({ href: `#${step}-${k.replace(/\.\d+$/, '')}`, text })),
    };
  const said = errors._form;
  if (!said) return undefined;
  return {
    kind: 'error',
    text: {
      zh: `${form.zh}：${said.zh.replace(/[。.]$/u, '')}。没有保存；您填写的内容保留在下方表单中。`,
      en: `${form.en}: ${said.en.replace(/[.。]$/u, '')}. Nothing was saved; what you typed is kept in the form below.`,
    },
    links: [
      {
        href: `#${step}-title`,
        text: { zh: `前往表单「${form.zh}」`, en: `Go to the form “${form.en}”` },
      },
    ],
  };
}

/**
 * A refused form, back on the case page with its message and what was typed, under the refusal's
 * status: never a redirect that drops the text. A case that does not exist is the 404 page; one
 * the person may no longer read because it was moved away from them (handed over, reassigned) is
 * a 403 page keeping what was typed; one they never could read is the plain 403 naming the rule.
 */
export async function renderRefused(
  c: WebContext,
  deps: AppDeps,
  caseId: string,
  state: FormState,
  status: ContentfulStatusCode,
) {
  try {
    return await renderCase(c, deps, caseId, state, status);
  } catch (err) {
    if (refusalOf(err).status !== 403) throw err;
    // "No longer yours" only to someone the case was moved away from; anyone else who cannot
    // read it is told the read rule, as every other refused page tells them.
    const { ddb, tables } = deps.aws;
    if (!(await heldBefore(ddb, tables, caseId, viewerOf(c).person.id))) throw err;
    const dir = await directoryOrFail(deps);
    return renderNoLongerYours(c, caseId, state, personLabelOf(dir, c.get('lang')));
  }
}
