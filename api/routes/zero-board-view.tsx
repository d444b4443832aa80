import { inLang, type Bilingual, type Lang } from '../../domain/text.ts';
import { reportGist, type ReturnEntry } from '../../domain/zero-report.ts';
import { formatTime, ScrollRegion } from '../pages/ui.tsx';
import { firstRows, type BoardPage } from './zero-board-paging.ts';
import type { ZeroBoard } from './zero-report.tsx';

type BoardCell = ZeroBoard['cells'][number];
/** The board's address with a query (`after`, `before`, `cell`; the page's language kept). */
export type BoardHref = (query: Record<string, string>) => string;

const statusText = {
  missing: { zh: '未报', en: 'missing' },
  none: { zh: '无（零报告）', en: 'none' },
  reported: { zh: '已报', en: 'reported' },
} as const;
const correctedText = { zh: '已更正', en: 'corrected' };

/** The app's badge colours: a missing cell is overdue, "none" met, a list reported still to follow up. */
const statusBadge = { missing: 'overdue', none: 'met', reported: 'pending' } as const;

/** Before the close a silent cell is not late yet: it is waited for, not marked missing in red. */
const notYetText = { zh: '尚未上报', en: 'not yet' };
const lateText = { zh: '（补报）', en: ' (late)' };

/** A row's anchor on the board, where its cell's own view leads back to. */
export const cellAnchor = (cellId: string) => `cell-${cellId}`;

const entryText = (e: ReturnEntry) => [e.room, e.name, e.note].filter(Boolean).join(' ');

/** Before the close, whether the night still waits for its silent cells. */
const isOpen = (board: ZeroBoard) => Date.now() < Date.parse(board.closeAt);

function StatusCell(props: { cell: BoardCell; open: boolean; lang: Lang }) {
  const { cell, lang } = props;
  const t = (x: Bilingual) => inLang(x, lang);
  return (
    <>
      {props.open && cell.status === 'missing' ? (
        <span class="badge">{t(notYetText)}</span>
      ) : (
        <span class={`badge ${statusBadge[cell.status]}`}>{t(statusText[cell.status])}</span>
      )}
      {cell.corrected ? (
        <>
          <br />
          <strong>{t(correctedText)}</strong>
        </>
      ) : null}
    </>
  );
}

/** Who reported and when, and whom the cell's silence went to. */
function reportedBy(cell: BoardCell, tz: string, lang: Lang): string {
  const by = cell.report
    ? `${cell.report.byName} ${formatTime(cell.report.at, tz)}${cell.report.afterClose ? inLang(lateText, lang) : ''}`
    : '';
  return `${by}${cell.escalation ? `→ ${cell.escalation.toNames.join('、')}` : ''}`;
}

/** A version's gist with at most the board's first rows of each list named, and how many more. */
function shortGist(r: { late: ReturnEntry[]; absent: ReturnEntry[] }): Bilingual {
  const zh: string[] = [];
  const en: string[] = [];
  for (const [xs, k] of [
    [r.late, { zh: '晚归', en: 'late' }],
    [r.absent, { zh: '未归', en: 'absent' }],
  ] as const) {
    if (xs.length === 0) continue;
    const { shown, more } = firstRows(xs);
    const who = (sep: string) => shown.map((e) => [e.room, e.name].filter(Boolean).join(' ')).join(sep);
    zh.push(`${k.zh} ${xs.length} 人（${who('、')}${more ? `等，另有 ${more} 人` : ''}）`);
    en.push(`${xs.length} ${k.en} (${who(', ')}${more ? `, and ${more} more` : ''})`);
  }
  return zh.length === 0 ? reportGist(r) : { zh: zh.join('；'), en: en.join('; ') };
}

/** A list's first rows on the board, then how many more, leading to the cell's whole report. */
function RowsCell(props: { xs: ReturnEntry[]; cellHref: string; lang: Lang }) {
  const { shown, more } = firstRows(props.xs);
  return (
    <>
      {shown.map(entryText).join('；')}
      {more > 0 ? (
        <>
          {' '}
          <a href={props.cellHref} data-more={more}>
            {inLang({ zh: `另有 ${more} 人`, en: `${more} more` }, props.lang)}
          </a>
        </>
      ) : null}
    </>
  );
}

/** The board's pages: where this one is among the night's cells, and the pages beside it. */
function PageNav(props: { page: BoardPage<BoardCell>; href: BoardHref; lang: Lang }) {
  const { page, lang } = props;
  const t = (x: Bilingual) => inLang(x, lang);
  const { previous, nextAfter } = page;
  if (!previous && !nextAfter) return null;
  const range = `${page.start + 1}–${page.start + page.shown.length}`;
  return (
    <nav
      class="actions"
      aria-label={t({ zh: '网格分页', en: 'Pages of cells' })}
      data-board-rows={`${range}/${page.total}`}
    >
      {previous ? (
        <a class="button secondary" href={props.href(previous === 'first' ? {} : previous)} rel="prev">
          {t({ zh: '上一页', en: 'Previous' })}
        </a>
      ) : null}
      <span class="muted">
        {t({ zh: `共 ${page.total} 个网格，第 ${range} 个`, en: `${page.total} cells, ${range} shown` })}
      </span>
      {nextAfter ? (
        <a class="button secondary" href={props.href({ after: nextAfter })} rel="next">
          {t({ zh: '下一页', en: 'Next' })}
        </a>
      ) : null}
    </nav>
  );
}

/** The night's board: its state and counts over every cell, then one page of cells. */
export function BoardBody(props: {
  board: ZeroBoard;
  page: BoardPage<BoardCell>;
  href: BoardHref;
  lang: Lang;
  tz: string;
  reportHref?: string | undefined;
}) {
  const { board, lang, tz } = props;
  const t = (x: Bilingual) => inLang(x, lang);
  const open = isOpen(board);
  const close = formatTime(board.closeAt, tz);
  const c = board.counts;
  return (
    <>
      {props.reportHref ? (
        <p>
          <a class="button" href={props.reportHref}>
            {t({ zh: '上报本网格情况', en: 'Report for my cell' })}
          </a>
        </p>
      ) : null}
      <p>
        {t(
          open
            ? {
                zh: `上报中：${close} 截止，届时未报的网格报告上级。`,
                en: `Open: reports are due by ${close}, when silent cells are escalated.`,
              }
            : {
                zh: `已于 ${close} 截止；未报的网格已报告上级。`,
                en: `Closed at ${close}; silent cells were escalated.`,
              },
        )}
      </p>
      <p>
        {t(
          open
            ? {
                zh: `网格 ${c.cells} 个，已报 ${c.reported}（其中报"无" ${c.none}），尚未上报 ${c.missing}；晚归 ${c.late} 人，未归 ${c.absent} 人`,
                en: `${c.cells} cells, ${c.reported} reported (${c.none} "none"), ${c.missing} not yet; ${c.late} late, ${c.absent} absent`,
              }
            : {
                zh: `网格 ${c.cells} 个，已报 ${c.reported}（其中报"无" ${c.none}），未报 ${c.missing}；晚归 ${c.late} 人，未归 ${c.absent} 人`,
                en: `${c.cells} cells, ${c.reported} reported (${c.none} "none"), ${c.missing} missing; ${c.late} late, ${c.absent} absent`,
              },
        )}
      </p>
      {/* Six columns do not fit a phone: they keep a readable width and scroll on their own, the page stays put. */}
      <ScrollRegion label={t({ zh: '各网格上报情况', en: 'Reports by grid cell' })}>
        <table style="min-width:40rem">
          <thead>
            <tr>
              <th>{t({ zh: '网格', en: 'Cell' })}</th>
              <th>{t({ zh: '网格员', en: 'Grid members' })}</th>
              <th>{t({ zh: '状态', en: 'Status' })}</th>
              <th>{t({ zh: '晚归', en: 'Late' })}</th>
              <th>{t({ zh: '未归', en: 'Absent' })}</th>
              <th>{t({ zh: '上报 / 上级', en: 'Reported by / escalated to' })}</th>
            </tr>
          </thead>
          <tbody>
            {props.page.shown.map((cell) => {
              const cellHref = props.href({ cell: cell.cellId });
              return (
                <tr class={cell.status} id={cellAnchor(cell.cellId)}>
                  <td>{t(cell.name)}</td>
                  <td>{cell.members.map((m) => m.name).join('、')}</td>
                  <td>
                    <StatusCell cell={cell} open={open} lang={lang} />
                  </td>
                  <td>
                    {cell.report ? <RowsCell xs={cell.report.late} cellHref={cellHref} lang={lang} /> : ''}
                  </td>
                  <td>
                    {cell.report ? <RowsCell xs={cell.report.absent} cellHref={cellHref} lang={lang} /> : ''}
                  </td>
                  <td>
                    {reportedBy(cell, tz, lang)}
                    {cell.report?.earlier.map((e) => (
                      <small class="muted" style="display:block">
                        {t({
                          zh: `此前上报（${e.byName} ${formatTime(e.at, tz)}）：${shortGist(e).zh}`,
                          en: `Reported before (${e.byName} ${formatTime(e.at, tz)}): ${shortGist(e).en}`,
                        })}
                      </small>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
      <PageNav page={props.page} href={props.href} lang={lang} />
    </>
  );
}

/** One list of a cell's report in full: a row per student, room, name and note. */
function RowsTable(props: { title: Bilingual; xs: ReturnEntry[]; lang: Lang; id: string }) {
  const t = (x: Bilingual) => inLang(x, props.lang);
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>
        {t(props.title)} <span class="muted">({props.xs.length})</span>
      </h2>
      {props.xs.length === 0 ? (
        <p class="muted">{t({ zh: '无', en: 'None' })}</p>
      ) : (
        // A long note or name does not widen the page on a phone: the table scrolls on its own.
        <ScrollRegion label={t(props.title)}>
          <table>
            <thead>
              <tr>
                <th>{t({ zh: '房间', en: 'Room' })}</th>
                <th>{t({ zh: '姓名', en: 'Name' })}</th>
                <th>{t({ zh: '备注', en: 'Note' })}</th>
              </tr>
            </thead>
            <tbody>
              {props.xs.map((e) => (
                <tr>
                  <td>{e.room}</td>
                  <td>{e.name ?? ''}</td>
                  <td>{e.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}

/**
 * One cell's report in full, where the board's "N more" leads: every late and absent row, and
 * each version it replaced. A list holds at most zeroReportLimits.rows rows, so it is one page.
 */
export function CellReportBody(props: {
  board: ZeroBoard;
  cell: BoardCell;
  /** The board page holding the cell, at its row. */
  backHref: string;
  lang: Lang;
  tz: string;
}) {
  const { cell, lang, tz } = props;
  const t = (x: Bilingual) => inLang(x, lang);
  const back = (
    <p>
      <a href={props.backHref} data-back>
        {t({ zh: '返回当晚看板', en: 'Back to the night’s board' })}
      </a>
    </p>
  );
  return (
    <>
      {back}
      <p class="card" data-cell={cell.cellId}>
        <StatusCell cell={cell} open={isOpen(props.board)} lang={lang} />
        <br />
        {t({ zh: '网格员：', en: 'Grid members: ' })}
        {cell.members.map((m) => m.name).join('、')}
        {cell.report || cell.escalation ? (
          <>
            <br />
            {t({ zh: '上报 / 上级：', en: 'Reported by / escalated to: ' })}
            {reportedBy(cell, tz, lang)}
          </>
        ) : null}
      </p>
      {cell.report ? (
        <>
          <RowsTable title={{ zh: '晚归', en: 'Late' }} xs={cell.report.late} lang={lang} id="late" />
          <RowsTable title={{ zh: '未归', en: 'Absent' }} xs={cell.report.absent} lang={lang} id="absent" />
          {cell.report.earlier.length > 0 ? (
            <section aria-labelledby="earlier">
              <h2 id="earlier">{t({ zh: '此前上报', en: 'Reported before' })}</h2>
              <ol>
                {cell.report.earlier.map((e) => (
                  <li>
                    {`${e.byName} ${formatTime(e.at, tz)}${t({ zh: '：', en: ': ' })}${t(reportGist(e))}`}
                  </li>
                ))}
              </ol>
            </section>
          ) : null}
        </>
      ) : null}
      {back}
    </>
  );
}
