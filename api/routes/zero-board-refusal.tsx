import type { Bilingual, Lang } from '../../domain/text.ts';
import { inLang } from '../../domain/text.ts';
import { roleNames } from '../../domain/directory.ts';
import { ZERO_REPORT_BOARD_READERS } from '../../domain/zero-report.ts';
import { ErrorSummaryBox } from '../pages/error-summary.tsx';
import { boardPageQuery, type BoardPageQuery } from './zero-board-paging.ts';

/**
 * Why a board address cannot be shown, as a person reads it: the address names more than one
 * place on the board, or a place the night does not have, or repeats a part of itself.
 */
export const boardAddressText = {
  twoPlaces: {
    zh: '这个看板链接同时指向了几处位置（翻页位置和网格只能有一个），无法打开。请从看板重新查看。',
    en: 'This board link points to more than one place at once (a page position or a cell, not both), so it cannot be opened. Open the board again from its first page.',
  },
  malformed: {
    zh: '这个看板链接不完整或有误，无法打开。请从看板重新查看。',
    en: 'This board link is incomplete or wrong, so it cannot be opened. Open the board again from its first page.',
  },
  repeated: (name: string): Bilingual => ({
    zh: `这个看板链接中的“${name}”出现了不止一次，无法确定要打开哪一处。请从看板重新查看。`,
    en: `This board link gives “${name}” more than once, so it is not clear which place to open. Open the board again from its first page.`,
  }),
  noCell: (night: string, cellId: string): Bilingual => ({
    zh: `${night} 晚的零报告没有网格 ${cellId}（链接可能已过时）。请从看板重新查看。`,
    en: `The zero report of ${night} has no grid cell ${cellId} (the link may be out of date). Open the board again from its first page.`,
  }),
} as const;

const readers = ZERO_REPORT_BOARD_READERS.map((r) => roleNames[r]);

/** Who reports and who may read the board, said to someone who may not (a page, not a redirect to a refusal). */
export const boardReadersText: Bilingual = {
  zh: `零报告由网格员每晚上报；看板供${readers.map((r) => r.zh).join('、')}查看。您的角色不能查看零报告看板；如需查看，请联系管理员。`,
  en: `The zero report is filed each night by grid members; its board is read by ${readers.map((r) => r.en).join(', ')}. Your role may not read the zero-report board; ask an admin if you need to.`,
};

/** A board address refused: why, focused on load, and the way back to the board (or the workbench). */
export function BoardRefusalBody(props: {
  lang: Lang;
  text: Bilingual;
  status: number;
  /** The board's plain address; absent when the reader may not read the board. */
  boardHref?: string | undefined;
  homeHref: string;
}) {
  const { lang } = props;
  return (
    <>
      <ErrorSummaryBox
        lang={lang}
        text={props.text}
        data={{ 'data-problem': '', 'data-problem-status': String(props.status) }}
      />
      <p>
        {props.boardHref ? (
          <a href={props.boardHref} data-back="board">
            ← {inLang({ zh: '返回零报告看板', en: 'Back to the zero-report board' }, lang)}
          </a>
        ) : (
          <a href={props.homeHref} data-back="">
            ← {inLang({ zh: '返回工作台', en: 'Back to the workbench' }, lang)}
          </a>
        )}
      </p>
    </>
  );
}

/**
 * The board page's address read from its query (every value of each key): the page or cell it
 * names, or why a person cannot be shown it. A key given twice is refused, not read as its first.
 */
export function boardAddress(
  queries: Readonly<Record<string, readonly string[]>>,
): { ok: true; at: BoardPageQuery } | { ok: false; text: Bilingual } {
  const repeated = Object.keys(queries).find((k) => (queries[k]?.length ?? 0) > 1);
  if (repeated !== undefined) return { ok: false, text: boardAddressText.repeated(repeated) };
  const single = Object.fromEntries(Object.entries(queries).map(([k, v]) => [k, v[0]]));
  const r = boardPageQuery.safeParse(single);
  if (r.success) return { ok: true, at: r.data };
  const several = r.error.issues.some((i) => i.code === 'custom');
  return { ok: false, text: several ? boardAddressText.twoPlaces : boardAddressText.malformed };
}
