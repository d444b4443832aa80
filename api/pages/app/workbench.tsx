import type { Hono } from 'hono';
import { addDays, localDate } from '../../../domain/calendar.ts';
import { stages, type CaseView, type StepName } from '../../../domain/case-model.ts';
import { gridCovers, type Directory, type Role } from '../../../domain/directory.ts';
import { roundKindNames, type InspectionRound } from '../../../domain/inspection.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { supervisedBuildings } from '../../middleware/access.ts';
import type { Caller } from '../../auth.ts';
import { listCasesFor, stepRefusal } from '../../case-service.ts';
import { directoryOrFail } from '../../reads.ts';
import { roundsBetween } from '../../../store/inspections.ts';
import type { AppDeps } from '../../deps.ts';
import type { WebEnv } from '../../middleware/session.ts';
import { CaseTable, openDue } from './case-list.tsx';
import { offersNewCase } from './new-case.tsx';
import { page, viewerOf } from './web-kit.tsx';

/**
 * /app, the landing page: what waits for this person, overdue on top, then
 * the nearest due time; then what their role watches over. "Waits for me" is
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
const OPEN_STAGES = stages.filter((s) => s !== 'closed' && s !== 'withdrawn');
/** Per open stage, how many of the newest cases the workbench looks at. */
const PER_STAGE = 100;
/** Overdue cases are read on their own, every one up to this many, so none drops off behind newer ones. */
const OVERDUE_MAX = 2000;
/** Rows per page of a section. */
export const SECTION_PAGE = 20;

/** Overdue first, then the nearest due time. */
export const urgentFirst = (a: CaseView, b: CaseView) =>
  Number(b.overdue) - Number(a.overdue) || (openDue(a) ?? '9999').localeCompare(openDue(b) ?? '9999');

const has = (viewer: Caller, ...roles: Role[]) => viewer.person.roles.some((r) => roles.includes(r));

/** Every overdue case this person may read, most overdue first as the index keeps them. */
async function overdueCases(deps: AppDeps, viewer: Caller, lang: Lang): Promise<CaseView[]> {
  const items: CaseView[] = [];
  let cursor: string | undefined;
  do {
    const one = await listCasesFor(deps, viewer, { overdue: 'true', limit: 100, cursor }, lang);
    items.push(...one.items);
    cursor = one.nextCursor ?? undefined;
  } while (cursor && items.length < OVERDUE_MAX);
  return items;
}

/**
 * The open cases this person may read, through the API's own list and read rules: every overdue
 * one (read on its own: the oldest are the most overdue, and the newest of a stage would hide
 * them), then the newest of each open stage.
 */
async function openCases(deps: AppDeps, viewer: Caller, lang: Lang): Promise<CaseView[]> {
  const [overdue, pages] = await Promise.all([
    overdueCases(deps, viewer, lang),
    Promise.all(OPEN_STAGES.map((stage) => listCasesFor(deps, viewer, { stage, limit: PER_STAGE }, lang))),
  ]);
  const byId = new Map<string, CaseView>();
  for (const v of [...overdue, ...pages.flatMap((p) => p.items)])
    if ((OPEN_STAGES as readonly string[]).includes(v.stage) && !byId.has(v.caseId)) byId.set(v.caseId, v);
  return [...byId.values()];
}

/** A section's page number from the address (`?waiting=2`): 1 when absent or not a page. */
const pageParam = (url: URL, id: string) => {
  const n = Number(url.searchParams.get(id) ?? '1');
  return Number.isInteger(n) && n >= 1 ? n : 1;
};

function Section(props: {
  id: string;
  title: Bilingual;
  items: CaseView[];
  dir: Directory;
  lang: Lang;
  tz: string;
  now: Date;
  empty: Bilingual;
  /** The page's address: each section pages on its own parameter, keeping the others'. */
  url: URL;
}) {
  const t = (zh: string, en: string) => inLang({ zh, en }, props.lang);
  const pages = Math.max(1, Math.ceil(props.items.length / SECTION_PAGE));
  const at = Math.min(pageParam(props.url, props.id), pages);
  const shown = props.items.slice((at - 1) * SECTION_PAGE, at * SECTION_PAGE);
  const href = (n: number) => {
    const u = new URL(props.url);
    if (n === 1) u.searchParams.delete(props.id);
    else u.searchParams.set(props.id, String(n));
    return `${u.pathname}${u.search}#${props.id}`;
  };
  return (
    <section class="card" aria-labelledby={props.id} data-section={props.id}>
      <h2 id={props.id}>
        {inLang(props.title, props.lang)} <span class="muted">({props.items.length})</span>
      </h2>
      {props.items.length === 0 ? (
        <p class="muted">{inLang(props.empty, props.lang)}</p>
      ) : (
        <CaseTable items={shown} dir={props.dir} lang={props.lang} tz={props.tz} now={props.now} />
      )}
      {pages > 1 && (
        <nav class="actions" aria-label={t('分页', 'Pages')} data-section-pages={`${at}/${pages}`}>
          {at > 1 && (
            <a class="button secondary" href={href(at - 1)} rel="prev">
              {t('上一页', 'Previous')}
            </a>
          )}
          <span class="muted">
            {t(
              `第 ${at}/${pages} 页（第 ${(at - 1) * SECTION_PAGE + 1}–${(at - 1) * SECTION_PAGE + shown.length} 条）`,
              `Page ${at} of ${pages} (${(at - 1) * SECTION_PAGE + 1}–${(at - 1) * SECTION_PAGE + shown.length})`,
            )}
          </span>
          {at < pages && (
            <a class="button secondary" href={href(at + 1)} rel="next">
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
            const building = props.dir.buildings.find((b) => b.id === r.buildingId)?.name;
            const answered = r.results.length;
            return (
              <li>
                <a href={`/inspection/${r.roundId}`}>
                  {inLang(roundKindNames[r.kind], lang)} · {building ? inLang(building, lang) : r.buildingId}{' '}
                  · {r.period}
                </a>{' '}
                <span class="muted">
                  {inLang(
                    {
                      zh: `已填写 ${answered}/${r.checklist.length} 项`,
                      en: `${answered} of ${r.checklist.length} items answered`,
                    },
                    lang,
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
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
    const cases = auditorOnly ? [] : (await openCases(deps, viewer, lang)).sort(urgentFirst);
    const mine = cases.filter((v) => {
      const step = STEP_OF_STAGE[v.stage];
      return step !== undefined && stepRefusal(deps, dir, viewer, step, v) === null;
    });
    const common = { dir, lang, tz, now, url: new URL(c.req.url) };
    const sections = [];
    if (!auditorOnly) {
      sections.push(
        <Section
          {...common}
          id="waiting"
          title={{ zh: '等我处理', en: 'Waiting for me' }}
          items={mine}
          empty={{ zh: '目前没有等您处理的案件。', en: 'Nothing waits for you right now.' }}
        />,
      );
    }
    if (has(viewer, 'supervisor')) {
      const mineB = supervisedBuildings(viewer, dir);
      sections.push(
        <InspectionsSection rounds={await myOpenRounds(deps, viewer, dir)} dir={dir} lang={lang} />,
        <Section
          {...common}
          id="overdue-buildings"
          title={{ zh: '我所管楼栋的超时案件', en: 'Overdue cases in my buildings' }}
          items={cases.filter((v) => v.overdue && mineB.includes(v.location.buildingId))}
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
          empty={{ zh: '没有未结的重大问题。', en: 'No open major cases.' }}
        />,
        <Section
          {...common}
          id="breaches"
          title={{ zh: '超时（违反时限）', en: 'Breaches (overdue)' }}
          items={cases.filter((v) => v.overdue)}
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
