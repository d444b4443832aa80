import type { Hono } from 'hono';
import { addDays, localDate } from '../../../domain/calendar.ts';
import { placeNameOf } from '../../../domain/place-name.ts';
import { openPause } from '../../../domain/case-clocks.ts';
import type { CaseView, Stage, StepName } from '../../../domain/case-model.ts';
import { gridCovers, type Directory, type Role } from '../../../domain/directory.ts';
import { roundKindNames, type InspectionRound } from '../../../domain/inspection.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { enCount, enNumber } from '../../../domain/english-count.ts';
import { supervisedBuildings, triageBuildings } from '../../middleware/access.ts';
import type { Caller } from '../../auth.ts';
import { stepRefusal } from '../../case-service.ts';
import { directoryOrFail } from '../../reads.ts';
import { roundsBetween } from '../../../store/inspections.ts';
import { triageQueue } from '../../../store/reports.ts';
import type { AppDeps } from '../../deps.ts';
import type { WebEnv } from '../../middleware/session.ts';
import { stageLabels } from '../ui.tsx';
import { assigneeNamer, CaseTable, type CaseWait, type NameOf } from './case-list.tsx';
import { allowedHandling } from './case-handling-forms.tsx';
import { dueFirst, encodePageAt, pageAt, parsePageAt, type PageAt } from './due-pages.ts';
import { readOpenCases, STAGE_MAX } from './workbench-cases.ts';
import { offersNewCase } from './new-case.tsx';
import { page, viewerOf } from './web-kit.tsx';

/**
 * /app, the landing page: what waits for this person, soonest due first (so
 * overdue on top); then what their role watches over. "Waits for me" is
 * decided by the same step rule as the case page and the API.
 */

/** The step each open stage waits for. */
const STEP_OF_STAGE: Partial<Record<CaseView['stage'], StepName>> = {
  analysing: 'root_cause',
  awaiting_signoff: 'sign_off',
  adjudicating: 'adjudication',
  rectifying: 'rectification',
  reviewing: 'review',
};
/**
 * A pause the assignee asked for waits on a supervisor of the case's building (the one mailed
 * about it), whatever the stage waits for: the case page's decision form is where it is decided.
 */
const PAUSE_TO_DECIDE: Bilingual = { zh: '待决定暂停申请', en: 'Pause request to decide' };

/** Rows per page of a section. */

/** A round's progress on the workbench: "0 of 1 item answered", "3 of 38 items answered". */
export const answeredText = (answered: number, total: number): Bilingual => ({
  zh: `已填写 ${answered}/${total} 项`,
  en: `${enNumber(answered)} of ${enCount(total, 'item')} answered`,
});

export const SECTION_PAGE = 20;

const has = (viewer: Caller, ...roles: Role[]) => viewer.person.roles.some((r) => roles.includes(r));

/** What a section may be missing when the read was cut, and where the whole list is. */
interface Cut {
  stages: Stage[];
  overdue: boolean;
}

function CutNote(props: { cut: Cut; lang: Lang }) {
  const { cut, lang } = props;
  const t = (zh: string, en: string) => inLang({ zh, en }, lang);
  const links = [
    ...cut.stages.map((s) => ({ href: `/app/cases?stage=${s}`, label: inLang(stageLabels[s], lang) })),
    ...(cut.overdue ? [{ href: '/app/cases?overdue=true', label: t('已超时', 'Overdue') }] : []),
  ];
  return (
    <p class="notice" role="note" data-list-cut>
      {t(
        `列表不完整：每个环节（以及已超时案件）最多读取 ${STAGE_MAX} 件，下列各项超出此数，其部分案件未列出，上面的数量只是下限。完整列表：`,
        `This list is cut: at most ${STAGE_MAX} cases are read per stage (and of the overdue ones). The lists linked here hold more, so some of their cases are not shown and the count above is a lower bound. Full lists: `,
      )}
      {links.map((l, i) => (
        <>
          {i > 0 && t('、', ', ')}
          <a href={l.href}>{l.label}</a>
        </>
      ))}
    </p>
  );
}

function Section(props: {
  id: string;
  title: Bilingual;
  /** Sorted by dueFirst. */
  items: CaseView[];
  /** Set when the read behind this section was cut: the count is then a lower bound. */
  cut?: Cut | undefined;
  dir: Directory;
  lang: Lang;
  tz: string;
  now: Date;
  empty: Bilingual;
  /** The page's address: each section pages on its own parameter, keeping the others'. */
  url: URL;
  nameOf: NameOf;
  waits?: ((v: CaseView) => CaseWait[]) | undefined;
}) {
  const t = (zh: string, en: string) => inLang({ zh, en }, props.lang);
  const total = props.items.length;
  const { shown, start, previous, next } = pageAt(
    props.items,
    parsePageAt(props.url.searchParams.get(props.id)),
    SECTION_PAGE,
  );
  const href = (at: PageAt) => {
    const u = new URL(props.url);
    const value = encodePageAt(at);
    if (value === null) u.searchParams.delete(props.id);
    else u.searchParams.set(props.id, value);
    return `${u.pathname}${u.search}#${props.id}`;
  };
  const range = `${start + 1}–${start + shown.length}`;
  return (
    <section class="card" aria-labelledby={props.id} data-section={props.id}>
      <h2 id={props.id}>
        {inLang(props.title, props.lang)}{' '}
        <span class="muted" data-count={total}>
          ({props.cut ? t(`至少 ${total}`, `at least ${total}`) : total})
        </span>
      </h2>
      {props.cut && <CutNote cut={props.cut} lang={props.lang} />}
      {total === 0 ? (
        <p class="muted">{inLang(props.empty, props.lang)}</p>
      ) : (
        <CaseTable
          items={shown}
          dir={props.dir}
          lang={props.lang}
          tz={props.tz}
          now={props.now}
          nameOf={props.nameOf}
          waits={props.waits}
        />
      )}
      {(previous || next) && (
        <nav class="actions" aria-label={t('分页', 'Pages')} data-section-rows={`${range}/${total}`}>
          {previous && previous.from === 'before' && (
            <a class="button secondary" href={href({ from: 'start' })} rel="first">
              {t('第一页', 'First page')}
            </a>
          )}
          {previous && (
            <a class="button secondary" href={href(previous)} rel="prev">
              {t('上一页', 'Previous')}
            </a>
          )}
          <span class="muted">{t(`第 ${range} 条，共 ${total} 条`, `${range} of ${total}`)}</span>
          {next && (
            <a class="button secondary" href={href(next)} rel="next">
              {t('下一页', 'Next')}
            </a>
          )}
        </nav>
      )}
    </section>
  );
}

/**
 * The open inspection rounds this supervisor walks, in the buildings they supervise: the
 * checklist the round's email links to, reachable from here too. A month back covers a
 * monthly round's start; a round past its period is marked missed, so only open ones show.
 */
async function myOpenRounds(deps: AppDeps, viewer: Caller, dir: Directory): Promise<InspectionRound[]> {
  const today = localDate(new Date().toISOString(), deps.env.CAMPUS_TZ);
  const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };
  const rounds = await Promise.all(
    supervisedBuildings(viewer, dir).map((b) => roundsBetween(store, b, addDays(today, -31), today)),
  );
  return rounds
    .flat()
    .filter((r) => r.status === 'open' && r.assigneeIds.includes(viewer.person.id))
    .sort((a, b) => a.due.localeCompare(b.due) || a.roundId.localeCompare(b.roundId));
}

function InspectionsSection(props: { rounds: InspectionRound[]; dir: Directory; lang: Lang }) {
  const { lang } = props;
  return (
    <section class="card" aria-labelledby="inspections" data-section="inspections">
      <h2 id="inspections">
        {inLang({ zh: '待完成的检查', en: 'Inspections to do' }, lang)}{' '}
        <span class="muted">({props.rounds.length})</span>
      </h2>
      {props.rounds.length === 0 ? (
        <p class="muted">
          {inLang({ zh: '目前没有待完成的检查。', en: 'No inspection round is open for you.' }, lang)}
        </p>
      ) : (
        <ul>
          {props.rounds.map((r) => {
            const answered = r.results.length;
            return (
              <li>
                <a href={`/inspection/${r.roundId}`}>
                  {inLang(roundKindNames[r.kind], lang)} ·{' '}
                  {inLang(placeNameOf(props.dir, { buildingId: r.buildingId }), lang)} · {r.period}
                </a>{' '}
                <span class="muted">{inLang(answeredText(answered, r.checklist.length), lang)}</span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/**
 * The scanned reports waiting in the buildings this person triages: counted by the same read as
 * the triage page (`triageQueue`), so the two never disagree, with those someone is deciding apart.
 * A report is not a case, so without this a supervisor whose cases are all done reads "nothing
 * waits for you" while reports wait for them.
 */
async function triageWaiting(
  deps: AppDeps,
  buildings: string[],
): Promise<{ waiting: number; deciding: number } | undefined> {
  if (buildings.length === 0) return undefined;
  const q = await triageQueue(deps.aws, buildings, { limit: 1 });
  return { waiting: q.total, deciding: q.deciding.length };
}

function TriageSection(props: { waiting: number; deciding: number; lang: Lang }) {
  const { waiting, deciding, lang } = props;
  const t = (zh: string, en: string) => inLang({ zh, en }, lang);
  return (
    <section class="card" aria-labelledby="triage-waiting" data-section="triage">
      <h2 id="triage-waiting">
        {t('待分派的报告', 'Reports waiting for triage')}{' '}
        <span class="muted" data-count={waiting}>
          ({waiting})
        </span>
      </h2>
      <p>
        {waiting === 0
          ? t(
              '您负责分派的楼栋目前没有待分派的扫码报告。',
              'No scanned report waits for triage in your buildings.',
            )
          : t(
              `您负责分派的楼栋有 ${waiting} 条扫码报告等待分派：立案、并入已有案件或不予受理。`,
              `${enCount(waiting, 'scanned report')} ${waiting === 1 ? 'waits' : 'wait'} for triage in your buildings: open a case, merge, or reject.`,
            )}
        {deciding > 0 &&
          ` ${t(`另有 ${deciding} 条正在处理中。`, `${enNumber(deciding)} more ${deciding === 1 ? 'is' : 'are'} being decided.`)}`}
      </p>
      <div class="actions">
        <a class={waiting > 0 ? 'button' : 'button secondary'} href="/app/triage">
          {t('打开分派页面', 'Open the triage page')}
        </a>
      </div>
    </section>
  );
}

export function workbenchRoutes(app: Hono<WebEnv>, deps: AppDeps): void {
  const tz = deps.env.CAMPUS_TZ;
  app.get('/', async (c) => {
    const viewer = viewerOf(c);
    const lang = c.get('lang');
    const t = (zh: string, en: string) => inLang({ zh, en }, lang);
    const now = new Date();
    const dir = await directoryOrFail(deps);
    const auditorOnly =
      has(viewer, 'auditor') && !has(viewer, 'supervisor', 'staff', 'admin', 'working_group');
    const open = auditorOnly
      ? { items: [], cutStages: [], overdueCut: false }
      : await readOpenCases(deps, viewer, lang);
    const cases = open.items.sort(dueFirst);
    const myBuildings = supervisedBuildings(viewer, dir);
    // The same rule as the case page's decision form, for a supervisor of the case's building.
    const pauseToDecide = (v: CaseView) =>
      openPause(v.pauses)?.state === 'requested' &&
      myBuildings.includes(v.location.buildingId) &&
      allowedHandling(deps, dir, viewer, v).includes('decide_pause');
    const pausesToDecide = new Set(cases.filter(pauseToDecide).map((v) => v.caseId));
    const mine = cases.filter((v) => {
      if (pausesToDecide.has(v.caseId)) return true;
      const step = STEP_OF_STAGE[v.stage];
      return step !== undefined && stepRefusal(deps, dir, viewer, step, v) === null;
    });
    const waits = (v: CaseView): CaseWait[] =>
      pausesToDecide.has(v.caseId)
        ? [{ label: PAUSE_TO_DECIDE, href: `/app/cases/${encodeURIComponent(v.caseId)}#decide_pause-title` }]
        : [];
    /** The cut a section filtered to these stages (all open ones when absent) may be missing. */
    const cutOf = (only?: Stage[]): Cut | undefined => {
      const cut = {
        stages: open.cutStages.filter((s) => !only || only.includes(s)),
        overdue: open.overdueCut,
      };
      return cut.stages.length > 0 || cut.overdue ? cut : undefined;
    };
    const overdueCut = open.overdueCut ? { stages: [], overdue: true } : undefined;
    // Someone who left the directory keeps the name they had, marked so, as on the case page.
    const nameOf = await assigneeNamer(deps, dir, cases);
    const common = { dir, lang, tz, now, url: new URL(c.req.url), nameOf };
    const sections = [];
    const triage = await triageWaiting(deps, triageBuildings(viewer, dir));
    if (triage) sections.push(<TriageSection {...triage} lang={lang} />);
    if (!auditorOnly) {
      sections.push(
        <Section
          {...common}
          id="waiting"
          title={{ zh: '等我处理', en: 'Waiting for me' }}
          items={mine}
          waits={waits}
          // A pause is asked for in a stage that waits for a step (case-handling.ts PAUSABLE_STAGES).
          cut={cutOf(Object.keys(STEP_OF_STAGE) as Stage[])}
          empty={{ zh: '目前没有等您处理的案件。', en: 'Nothing waits for you right now.' }}
        />,
      );
    }
    if (has(viewer, 'supervisor')) {
      sections.push(
        <InspectionsSection rounds={await myOpenRounds(deps, viewer, dir)} dir={dir} lang={lang} />,
        <Section
          {...common}
          id="overdue-buildings"
          title={{ zh: '我所管楼栋的超时案件', en: 'Overdue cases in my buildings' }}
          items={cases.filter((v) => v.overdue && myBuildings.includes(v.location.buildingId))}
          cut={overdueCut}
          empty={{ zh: '所管楼栋没有超时案件。', en: 'No overdue cases in your buildings.' }}
        />,
      );
    }
    if (has(viewer, 'grid_member')) {
      sections.push(
        <Section
          {...common}
          id="my-grid"
          title={{ zh: '我网格内的未结案件', en: 'Open cases in my grid' }}
          items={cases.filter((v) => gridCovers(dir, viewer.person.id, v.location))}
          cut={cutOf()}
          empty={{ zh: '您的网格内没有未结案件。', en: 'No open cases in your grid.' }}
        />,
      );
    }
    if (has(viewer, 'leadership', 'working_group', 'admin')) {
      sections.push(
        <Section
          {...common}
          id="major"
          title={{ zh: '重大问题', en: 'Major cases' }}
          items={cases.filter((v) => v.severity === 'major')}
          cut={cutOf()}
          empty={{ zh: '没有未结的重大问题。', en: 'No open major cases.' }}
        />,
        <Section
          {...common}
          id="breaches"
          title={{ zh: '超时（违反时限）', en: 'Breaches (overdue)' }}
          items={cases.filter((v) => v.overdue)}
          cut={overdueCut}
          empty={{ zh: '没有超时案件。', en: 'No overdue cases.' }}
        />,
      );
    }
    return page(
      c,
      { zh: '工作台', en: 'Workbench' },
      <>
        <p>
          {t(`${viewer.person.name}，您好。`, `Hello, ${viewer.person.name}.`)}{' '}
          {offersNewCase(c) && (
            <a class="button" href="/app/cases/new">
              {t('新建案件', 'New case')}
            </a>
          )}
        </p>
        {has(viewer, 'auditor', 'admin', 'leadership', 'working_group') && (
          <form method="get" action="/app/cases" class="card" role="search" aria-labelledby="search-title">
            <h2 id="search-title">{t('查找案件', 'Find a case')}</h2>
            <label for="wb-q">{t('标题关键词或案件编号', 'Words in the title, or a case number')}</label>
            <input id="wb-q" name="q" type="search" />
            <div class="actions">
              <button type="submit">{t('搜索', 'Search')}</button>
              {has(viewer, 'auditor', 'admin') && (
                <a class="button secondary" href="/app/audit">
                  {t('审计与校验', 'Audit and verify')}
                </a>
              )}
            </div>
          </form>
        )}
        {sections}
      </>,
    );
  });
}
