// Longer than most modules because the import page’s three steps (upload, preview, apply) share their report rendering.
import { Hono } from 'hono';
import { enCount } from '../../../domain/english-count.ts';
import { formOr400 } from '../../form-body.ts';
import { keepsStewards, validateDirectory, type DirectoryProblem } from '../../../domain/directory-schema.ts';
import { roleNames, type Directory } from '../../../domain/directory.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import {
  currentSnapshot,
  DirectoryChangedMeanwhile,
  loadDirectory,
  loadDirectoryVersion,
  recentSnapshots,
  saveDirectory,
  type DirectorySnapshot,
} from '../../../store/directory.ts';
import {
  claimPreview,
  IMPORT_PREVIEW_SECONDS,
  loadPreview,
  markApplied,
  PREVIEW_HASH,
  releasePreview,
  savePreview,
  type ImportMode,
  type PreviewClaim,
  type PreviewLookup,
  type StoredPreview,
} from '../../../store/import-previews.ts';
import { appliedImportResult } from '../../../store/import-preview-results.ts';
import type { AppDeps } from '../../deps.ts';
import { personNamer } from '../../directory-names.ts';
import { removedWithOpenCases } from '../../removed-people.ts';
import { catchUpStranded, tellAfterSave } from '../../stranded-notices.ts';
import { loadTold, type StrandedTold } from '../../../store/directory-told.ts';
import { loadStrandedLook, STRANDED_LOOK_MS } from '../../../store/stranded-looks.ts';
import type { WebEnv } from '../../middleware/session.ts';
import { Csrf, formatTime } from '../ui.tsx';
import {
  COLUMNS,
  diffDirectory,
  directoryToTable,
  importDirectory,
  importIntoDirectory,
  KINDS,
  MAX_IMPORT_BYTES,
  problemPlace,
  readTable,
  tableToCsv,
  tableToXlsx,
  type DirectoryDiff,
  type ImportProblem,
  type ImportResult,
  type KindDiff,
} from './admin-import.ts';
import { importImpact, placesLost, type Leaving, type PlacesLost } from './admin-import-impact.ts';
import { fileEntries, mergedWith, mergeFile, type DirectoryPart } from './admin-import-merge.ts';
import { page, refusedPage, viewerHas, type WebContext } from './dashboard-common.tsx';

/**
 * /app/admin/directory: the campus directory imported from a CSV or XLSX
 * table. Upload → a validation report by row and column, or a preview of what
 * would change → apply (CSRF-protected by the mount, admins only). The table
 * layout is the one the current directory downloads as, so an admin edits a
 * download and uploads it again.
 */

const TITLE: Bilingual = { zh: '名录导入', en: 'Directory import' };
const ADMIN_RULE: Bilingual = {
  zh: '名录导入仅限管理员',
  en: 'only admins may import the directory',
};

/**
 * The flash after an apply: `added.changed.unchanged[.removed]` entries, as the apply stored them
 * with its preview (the fourth only when the file replaced the whole directory).
 */
const applied = (n: string | undefined): { text: Bilingual; removed: number } | null => {
  const m = /^(\d{1,6})\.(\d{1,6})\.(\d{1,6})(?:\.(\d{1,6}))?$/.exec(n ?? '');
  if (!m) return null;
  const [, added, changed, unchanged, gone] = m;
  const removed = Number(gone ?? 0);
  return {
    removed,
    text: {
      zh: `已导入名录：新增 ${added} 条，修改 ${changed} 条，${unchanged} 条不变${gone === undefined ? '' : `，删除 ${gone} 条`}。`,
      en: `Directory imported: ${added} added, ${changed} changed, ${unchanged} unchanged${gone === undefined ? '' : `, ${gone} removed`}.`,
    },
  };
};

// How long a second post of a preview waits for the first one's save before saying it is under way.
const CLAIM_WAIT_MS = 15_000;
const CLAIM_POLL_MS = 200;

const modeOf = (v: unknown): ImportMode => (v === 'replace' ? 'replace' : 'merge');

function UploadForm(props: { lang: Lang; csrf: string; mode?: ImportMode }) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  return (
    <form
      method="post"
      action="/app/admin/directory/preview"
      enctype="multipart/form-data"
      class="card"
      aria-labelledby="import-h"
    >
      <h2 id="import-h" style="margin-top:0">
        {t({ zh: '上传名录文件', en: 'Upload a directory file' })}
      </h2>
      <Csrf token={props.csrf} />
      <label for="import-file">
        {t({ zh: 'CSV 或 XLSX 文件', en: 'CSV or XLSX file' })}{' '}
        <span class="hint" id="import-file-hint">
          {t({
            zh: `第 1 行为表头；最大 ${MAX_IMPORT_BYTES / 1024 / 1024} MB。先上传只做校验与预览，确认后才写入。`,
            en: `Row 1 is the header; at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Uploading only checks and previews; nothing is written until you apply.`,
          })}
        </span>
      </label>
      <input
        id="import-file"
        type="file"
        name="file"
        required
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        aria-describedby="import-file-hint"
      />
      <fieldset data-import-mode>
        <legend>{t({ zh: '文件中没有的条目', en: 'Entries the file does not list' })}</legend>
        <label>
          <input type="radio" name="mode" value="merge" checked={props.mode !== 'replace'} />{' '}
          {t({
            zh: '保留（合并：按 id 新增或替换，不删除任何人）',
            en: 'Keep them (merge: add or replace by id, remove no one)',
          })}
        </label>
        <label>
          <input type="radio" name="mode" value="replace" checked={props.mode === 'replace'} />{' '}
          {t({
            zh: '删除（以文件为完整名录：文件中没有的人员立即失去访问权限，其未结案件需重新指派）',
            en: 'Remove them (the file is the whole directory: people it does not list lose access at once, and their open cases need reassigning)',
          })}
        </label>
      </fieldset>
      <div class="actions">
        <button type="submit">{t({ zh: '校验并预览', en: 'Check and preview' })}</button>
      </div>
    </form>
  );
}

function FormatHelp(props: { lang: Lang }) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  return (
    <details class="card">
      <summary>{t({ zh: '表格格式', en: 'Table layout' })}</summary>
      <p>
        {t({ zh: '列：', en: 'Columns: ' })}
        <code>{COLUMNS.join(', ')}</code>
      </p>
      <p>
        {t({
          zh: `每行一条，kind 取 ${KINDS.join('、')}。楼层的 parent 为楼栋 id，房间组的 parent 为楼层 id；多个值用分号分隔。校园行的 working_group、leadership 列出工作小组与校领导。`,
          en: `One entry per row; kind is one of ${KINDS.join(', ')}. A floor's parent is its building id, a cluster's its floor id; separate several values with semicolons. The campus row's working_group and leadership list those people.`,
        })}
      </p>
      <p data-merge-help>
        {t({
          zh: '合并（保留文件中没有的条目）时，文件只需列出要新增或修改的条目：可省略校园行（保留现有的校园信息），各行也可引用现有名录中的人员、楼栋、楼层和院系（例如新员工的 department、新楼层的 parent）。列出某栋楼的楼栋行会以文件中的该楼（连同文件列出的楼层）替换它；只想给现有楼栋加楼层或房间组时，只列出楼层行或房间组行即可。合并不会更改楼层的 id：要给楼层改名，请沿用其 id；要更换楼层 id，请选择“删除（以文件为完整名录）”并上传完整名录。以文件为完整名录时，文件须列出全部条目，包括校园行。',
          en: "To merge (keeping what the file does not list), the file need only list the entries to add or change: the campus row may be left out (the current campus details are kept), and rows may refer to people, buildings, floors and departments of the current directory (a new person's department, a new floor's parent). A building row replaces that building with the file's (and the floors the file lists for it); to add a floor or cluster to an existing building, list only the floor or cluster rows. A merge never changes a floor's id: to rename a floor, keep its id; to change its id, choose \"Remove them (the file is the whole directory)\" and upload the whole directory. When the file is the whole directory it must list every entry, the campus row included.",
        })}
      </p>
    </details>
  );
}

/** A directory's problems for the report table, by their place in the directory (no file row to name). */
const asRowless = (
  problems: DirectoryProblem[],
  dir: unknown,
  prefix: Bilingual = { zh: '', en: '' },
): ImportProblem[] =>
  problems.map((p) => {
    const place = problemPlace(p.where, dir);
    return {
      row: null,
      column: null,
      message: { zh: `${prefix.zh}${place.zh}：${p.text.zh}`, en: `${prefix.en}${place.en}: ${p.text.en}` },
    };
  });

/** The problems of the directory an import would make (`merged`), merged with the one stored now. */
const afterMerge = (problems: DirectoryProblem[], merged: unknown): ImportProblem[] =>
  asRowless(problems, merged, { zh: '与现有名录合并后：', en: 'after merging with the current directory: ' });

function ProblemTable(props: { problems: ImportProblem[]; lang: Lang }) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  return (
    <div class="table-wrap">
      <table data-import-problems={String(props.problems.length)}>
        <caption class="visually-hidden">{t({ zh: '校验问题', en: 'Problems found' })}</caption>
        <thead>
          <tr>
            <th scope="col">{t({ zh: '行', en: 'Row' })}</th>
            <th scope="col">{t({ zh: '列', en: 'Column' })}</th>
            <th scope="col">{t({ zh: '问题', en: 'Problem' })}</th>
          </tr>
        </thead>
        <tbody>
          {props.problems.map((p) => (
            <tr data-row={p.row === null ? '' : String(p.row)} data-column={p.column ?? ''}>
              <td>{p.row ?? t({ zh: '（整个文件）', en: '(file)' })}</td>
              <td>{p.column ? <code>{p.column}</code> : '—'}</td>
              <td>{t(p.message)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const kindLabels: Record<DiffKind, Bilingual> = {
  people: { zh: '人员', en: 'People' },
  buildings: { zh: '楼栋', en: 'Buildings' },
  floors: { zh: '楼层', en: 'Floors' },
  clusters: { zh: '房间组', en: 'Room clusters' },
  departments: { zh: '院系', en: 'Departments' },
};

/** How many ids a preview cell lists: a 50,000-row file would otherwise make a page of megabytes. */

/** The current directory's size: "1 person, 2 buildings, 1 department". */
export const directorySizeText = (d: Directory): Bilingual => ({
  zh: `${inLang(d.campus.name, 'zh-CN')}：${d.people.length} 人，${d.buildings.length} 栋楼，${d.departments.length} 个院系。`,
  en: `${d.campus.name.en}: ${enCount(d.people.length, 'person', 'people')}, ${enCount(d.buildings.length, 'building')}, ${enCount(d.departments.length, 'department')}.`,
});

export const PREVIEW_IDS = 50;

/** A person as an admin recognises them: the name, with the id that tells two 王伟 apart. */
const personLabel = (name: string | undefined, id: string, lang: Lang) =>
  name === undefined ? id : inLang({ zh: `${name}（${id}）`, en: `${name} (${id})` }, lang);

type DiffKind = 'people' | 'buildings' | 'floors' | 'clusters' | 'departments';

/**
 * What each id of the preview reads as, per kind: a person by name, a building or department by
 * its name in the page's language, each with its id. Names from the file first (added and changed
 * entries, and a renamed one reads as it will be), then from the directory being replaced (whom
 * the file leaves out).
 */
function importLabels(
  current: Directory | null,
  file: DirectoryPart,
  lang: Lang,
): (kind: DiffKind, id: string) => string {
  const people = new Map<string, string>();
  const places = {
    buildings: new Map<string, Bilingual>(),
    floors: new Map<string, Bilingual>(),
    clusters: new Map<string, Bilingual>(),
    departments: new Map<string, Bilingual>(),
  };
  for (const dir of [current, file]) {
    for (const p of dir?.people ?? []) people.set(p.id, p.name);
    for (const b of dir?.buildings ?? []) {
      places.buildings.set(b.id, b.name);
      for (const f of b.floors) places.floors.set(f.id, f.name);
    }
    for (const d of dir?.departments ?? []) places.departments.set(d.id, d.name);
  }
  return (kind, id) => {
    if (kind === 'people') return personLabel(people.get(id), id, lang);
    const name = places[kind].get(id);
    return name === undefined ? id : personLabel(inLang(name, lang), id, lang);
  };
}

function DiffView(props: {
  diff: DirectoryDiff;
  lang: Lang;
  mode: ImportMode;
  label: (kind: DiffKind, id: string) => string;
}) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  const more = (n: number) =>
    n > PREVIEW_IDS
      ? t({ zh: `（仅列出前 ${PREVIEW_IDS} 个，共 ${n} 个）`, en: ` (first ${PREVIEW_IDS} of ${n} shown)` })
      : '';
  const ids = (k: DiffKind, list: string[]) => (
    <div class="hint" data-listed={String(Math.min(list.length, PREVIEW_IDS))}>
      {list
        .slice(0, PREVIEW_IDS)
        .map((id) => props.label(k, id))
        .join(t({ zh: '、', en: ', ' }))}
      {more(list.length)}
    </div>
  );
  const row = (k: DiffKind, d: KindDiff) => (
    <tr data-kind={k} data-added={String(d.added.length)} data-changed={String(d.changed.length)}>
      <th scope="row">{t(kindLabels[k])}</th>
      <td>
        {d.added.length}
        {d.added.length > 0 && ids(k, d.added)}
      </td>
      <td>
        {d.changed.length}
        {d.changed.length > 0 && (
          <ul class="hint" style="margin:0;padding-left:1rem">
            {d.changed.slice(0, PREVIEW_IDS).map((c) => (
              <li>
                {props.label(k, c.id)}
                {t({ zh: '：', en: ': ' })}
                {c.fields.join(', ')}
              </li>
            ))}
            {d.changed.length > PREVIEW_IDS && <li>{more(d.changed.length)}</li>}
          </ul>
        )}
      </td>
      <td>{d.unchanged}</td>
      <td>
        {d.kept.length}
        {d.kept.length > 0 && ids(k, d.kept)}
      </td>
    </tr>
  );
  return (
    <div class="table-wrap">
      <table data-import-preview aria-labelledby="preview-h">
        <thead>
          <tr>
            <th scope="col">{t({ zh: '类别', en: 'Kind' })}</th>
            <th scope="col">{t({ zh: '新增', en: 'Added' })}</th>
            <th scope="col">{t({ zh: '修改', en: 'Changed' })}</th>
            <th scope="col">{t({ zh: '不变', en: 'Unchanged' })}</th>
            <th scope="col">
              {props.mode === 'replace'
                ? t({ zh: '文件中没有（删除）', en: 'Not in the file (removed)' })
                : t({ zh: '文件中没有（保留）', en: 'Not in the file (kept)' })}
            </th>
          </tr>
        </thead>
        <tbody>
          {row('people', props.diff.people)}
          {row('buildings', props.diff.buildings)}
          {row('floors', props.diff.floors)}
          {row('clusters', props.diff.clusters)}
          {row('departments', props.diff.departments)}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The floors and rooms the import takes away, said plainly before apply: their grid members and
 * the QR codes printed for them go too, which a building's "floors" under Changed never told.
 */
function PlacesLostWarning(props: { lost: PlacesLost; lang: Lang }) {
  const { floors, rooms } = props.lost;
  if (floors.length === 0 && rooms === 0) return null;
  const zh = [floors.length > 0 && `${floors.length} 个楼层`, rooms > 0 && `${rooms} 个房间`].filter(Boolean);
  const en = [floors.length > 0 && enCount(floors.length, 'floor'), rooms > 0 && enCount(rooms, 'room')];
  const named = floors.slice(0, PREVIEW_IDS);
  return (
    <div class="flash error" role="alert" data-places-lost={`${floors.length}.${rooms}`}>
      {inLang(
        {
          zh: `将移除 ${zh.join('、')}（含其网格员与二维码）${named.length > 0 ? `：${named.join('、')}` : ''}。如不想移除，请在文件中保留这些楼层与房间组的行。`,
          en: `This removes ${en.filter(Boolean).join(' and ')} (with their grid members and QR codes)${named.length > 0 ? `: ${named.join(', ')}` : ''}. To keep them, keep their floor and cluster rows in the file.`,
        },
        props.lang,
      )}
    </div>
  );
}

/** The admin's own entry in a preview's list: they are about to remove themselves or their roles. */
function Self(props: { lang: Lang }) {
  return <strong data-self>{inLang({ zh: '（这是您本人）', en: ' (this is you)' }, props.lang)}</strong>;
}

/** What a person's leaving strands, as a line of the preview's lists. */
const casesLine = (n: number, lang: Lang) =>
  n === 0
    ? inLang({ zh: '无未结案件', en: 'no open cases' }, lang)
    : inLang({ zh: `${n} 件未结案件需重新指派`, en: `${enCount(n, 'open case')} to reassign` }, lang);

/**
 * Whom a whole-directory import removes: the first PREVIEW_IDS, the admin themselves and those
 * holding open cases first (the ones an admin must act on), then how many more. A file that leaves
 * out most of a large campus would otherwise list every one of them.
 */
function RemovingList(props: { removing: Leaving[]; lang: Lang }) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  const { removing } = props;
  if (removing.length === 0) return null;
  const ordered = [...removing].sort((a, b) => Number(b.self) - Number(a.self) || b.openCases - a.openCases);
  const shown = ordered.slice(0, PREVIEW_IDS);
  const rest = ordered.slice(PREVIEW_IDS);
  const restWithCases = rest.filter((r) => r.openCases > 0).length;
  return (
    <>
      <h3 id="removing-h">
        {t({
          zh: `将被移除的人员（${removing.length} 人）`,
          en: `People to be removed (${removing.length})`,
        })}
      </h3>
      <ul aria-labelledby="removing-h" data-removing={String(removing.length)}>
        {shown.map((r) => (
          <li data-person={r.personId} data-open-cases={String(r.openCases)}>
            {personLabel(r.name, r.personId, props.lang)}
            {r.self && <Self lang={props.lang} />}
            {t({ zh: '：', en: ': ' })}
            {casesLine(r.openCases, props.lang)}
          </li>
        ))}
        {rest.length > 0 && (
          <li data-removing-more={String(rest.length)}>
            {t({
              zh: `…… 另有 ${rest.length} 人${restWithCases > 0 ? `（其中 ${restWithCases} 人有未结案件需重新指派）` : ''}`,
              en: `… and ${rest.length} more${restWithCases > 0 ? ` (${restWithCases} of them with open cases to reassign)` : ''}`,
            })}
          </li>
        )}
      </ul>
    </>
  );
}

/**
 * Whom the import keeps with fewer roles, each with the roles lost and the open cases that would
 * wait for someone else (staff made auditor can no longer act on the cases they hold).
 */
function DemotedList(props: { demoted: Leaving[]; lang: Lang }) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  const { demoted } = props;
  if (demoted.length === 0) return null;
  const ordered = [...demoted].sort((a, b) => Number(b.self) - Number(a.self) || b.openCases - a.openCases);
  const rest = ordered.length - PREVIEW_IDS;
  return (
    <>
      <h3 id="demoted-h">
        {t({
          zh: `将失去角色的人员（${demoted.length} 人）`,
          en: `People losing roles (${demoted.length})`,
        })}
      </h3>
      <ul aria-labelledby="demoted-h" data-demoted={String(demoted.length)}>
        {ordered.slice(0, PREVIEW_IDS).map((r) => (
          <li data-person={r.personId} data-open-cases={String(r.openCases)}>
            {personLabel(r.name, r.personId, props.lang)}
            {r.self && <Self lang={props.lang} />}
            {t({ zh: '：失去', en: ': loses ' })}
            {r.lostRoles.map((role) => t(roleNames[role])).join(t({ zh: '、', en: ', ' }))}
            {t({ zh: '；', en: '; ' })}
            {casesLine(r.openCases, props.lang)}
          </li>
        ))}
        {rest > 0 && (
          <li data-demoted-more={String(rest)}>
            {t({ zh: `…… 另有 ${rest} 人`, en: `… and ${rest} more` })}
          </li>
        )}
      </ul>
    </>
  );
}

/**
 * Whether the save in force still has stranded-cases mail to send: on its way (a telling holds
 * the version: the save's own, which does not wait for slow mail, or another look's), or failed
 * for now and tried again once the claim lapses. Null when nothing is left to send.
 */
type ToldPending = 'sending' | 'failed' | null;

const LOOK_MINUTES = STRANDED_LOOK_MS / 60_000;

/**
 * Whom the save in force told of the open cases it stranded, per building: its supervisors, or
 * the working group where it has none, and whom the mail could not reach (refused for good).
 * Pending while a mail has not gone.
 */
function ToldList(props: { told: StrandedTold | null; pending: ToldPending; lang: Lang }) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  const sep = t({ zh: '、', en: ', ' });
  if (props.pending)
    return (
      <div class="flash" role="status" data-told-pending={props.pending}>
        {t(
          props.pending === 'sending'
            ? {
                zh: '本次保存移除了人员或使其失去角色：通知相关楼栋主管改派其未结案件的邮件正在发送。稍后刷新本页即可看到已通知了谁。',
                en: 'This save removed people or took their role: the mail telling the supervisors of their open cases’ buildings to reassign them is on its way. Reload this page shortly to see whom it told.',
              }
            : {
                zh: `本次保存移除了人员或使其失去角色，但通知相关楼栋主管其未结案件的邮件尚未全部发出。${LOOK_MINUTES} 分钟后打开本页将重试，每天早晨也会自动重试。`,
                en: `This save removed people or took their role, but not all the mail telling the supervisors of their open cases’ buildings has gone yet. Opening this page after ${LOOK_MINUTES} minutes tries again, as does every morning’s run.`,
              },
        )}
      </div>
    );
  const buildings = props.told?.buildings ?? [];
  if (buildings.length === 0) return null;
  return (
    <section class="card" aria-labelledby="told-h" data-told>
      <h2 id="told-h" style="margin-top:0">
        {t({
          zh: `已通知改派（名录第 ${props.told?.version} 版）`,
          en: `Told to reassign (directory version ${props.told?.version})`,
        })}
      </h2>
      <ul>
        {buildings.map((b) => (
          <li
            data-building={b.buildingId}
            data-told-to={b.recipients.map((r) => r.id).join(' ')}
            data-undelivered={b.undelivered.length > 0 ? b.undelivered.map((r) => r.id).join(' ') : undefined}
          >
            {t(b.name)}
            {t({ zh: '：', en: ': ' })}
            {b.recipients.length === 0 && b.undelivered.length === 0
              ? t({
                  zh: '无人可通知（没有主管，也没有工作小组成员）',
                  en: 'nobody to tell (no supervisor, no working group)',
                })
              : b.recipients.length > 0 &&
                `${t(
                  b.workingGroup
                    ? {
                        zh: '已通知工作小组（该楼栋没有主管）',
                        en: 'told the working group (the building has no supervisor)',
                      }
                    : { zh: '已通知主管', en: 'told its supervisors' },
                )} ${b.recipients.map((r) => personLabel(r.name, r.id, props.lang)).join(sep)}`}
            {b.undelivered.length > 0 && (
              <strong data-undelivered-note>
                {b.recipients.length > 0 && t({ zh: '；', en: '; ' })}
                {t({ zh: '未能送达', en: 'could not be delivered to' })}{' '}
                {b.undelivered.map((r) => personLabel(r.name, r.id, props.lang)).join(sep)}
                {t({
                  zh: '（邮件服务拒收，请核对其邮箱地址并另行告知）',
                  en: ' (the mail service refused it: check their email address and tell them another way)',
                })}
              </strong>
            )}
            {t({ zh: `（${b.caseIds.length} 件案件）`, en: ` (${enCount(b.caseIds.length, 'case')})` })}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** How many of the latest directory versions the page lists. */
const VERSIONS_SHOWN = 10;

/**
 * The latest directory versions, each with who saved it: an admin's import names them; a file
 * loaded at start, or a version saved before saves were attributed, names no one.
 */
function VersionList(props: {
  versions: DirectorySnapshot[];
  lang: Lang;
  when: (iso: string) => string;
  name: (id: string) => string | undefined;
}) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  if (props.versions.length === 0) return null;
  return (
    <details data-versions>
      <summary>{t({ zh: '最近的名录版本', en: 'Recent directory versions' })}</summary>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t({ zh: '版本', en: 'Version' })}</th>
              <th scope="col">{t({ zh: '保存时间', en: 'Saved at' })}</th>
              <th scope="col">{t({ zh: '保存人', en: 'Saved by' })}</th>
              <th scope="col">{t({ zh: '人数', en: 'People' })}</th>
              <th scope="col">{t({ zh: '移除', en: 'Removed' })}</th>
            </tr>
          </thead>
          <tbody>
            {props.versions.map((v) => (
              <tr data-version={String(v.version)} data-saved-by={v.savedBy ?? ''}>
                <td>{v.version}</td>
                <td>{props.when(v.at)}</td>
                <td>
                  {v.savedBy
                    ? personLabel(props.name(v.savedBy), v.savedBy, props.lang)
                    : t({
                        zh: '未记录（名录文件加载，或记录保存人之前的版本）',
                        en: 'not recorded (a directory file load, or a version from before saves were attributed)',
                      })}
                </td>
                <td>{v.people}</td>
                <td>{v.removedPeople.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

// Floor and cluster rows are rows of the file too: an unchanged one counts as unchanged.
const diffKinds = (d: DirectoryDiff) => [d.people, d.buildings, d.floors, d.clusters, d.departments];

const appliedCounts = (d: DirectoryDiff) => {
  const kinds = diffKinds(d);
  const sum = (f: (k: KindDiff) => number) => kinds.reduce((n, k) => n + f(k), 0);
  return `${sum((k) => k.added.length)}.${sum((k) => k.changed.length)}.${sum((k) => k.unchanged)}`;
};

export function adminRoutes(deps: AppDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const { ddb, tables } = deps.aws;
  const allowed = (c: WebContext) => viewerHas(c, ['admin']);

  app.get('/admin/directory', async (c) => {
    if (!allowed(c)) return refusedPage(c, TITLE, ADMIN_RULE);
    const lang = c.get('lang');
    const t = (b: Bilingual) => inLang(b, lang);
    // A save whose mail did not go (a failure, a process gone after the save) is told first,
    // unless another look told it within the last few minutes.
    await catchUpStranded(deps).catch((err: unknown) => {
      console.warn(`[directory import] could not catch up the stranded-case mails: ${String(err)}`);
    });
    const current = await loadDirectory(ddb, tables, true);
    const { removed, demoted, version } = await removedWithOpenCases(deps);
    const told = version === null ? null : await loadTold(ddb, tables, version);
    const toldPending: ToldPending =
      told || version === null || (await currentSnapshot(ddb, tables))?.tellStranded !== true
        ? null
        : await loadStrandedLook(deps.aws, version).then((look) =>
            look?.state === 'telling' && look.until > Date.now() ? 'sending' : 'failed',
          );
    const versions = await recentSnapshots(ddb, tables, VERSIONS_SHOWN);
    const stranded = demoted.filter((d) => d.openCases.length > 0);
    // Someone removed keeps the name they had, marked so, as the case page and the mails name them.
    const nameOf = await personNamer(
      deps.aws,
      current,
      [...removed, ...stranded].map((r) => r.personId),
    );
    // The link names the applied preview, not its counts: counts typed into a link are shown nowhere.
    const previewId = c.req.query('applied');
    const done = previewId
      ? applied(await appliedImportResult(deps.aws, previewId, c.get('viewer')?.person.id ?? ''))
      : null;
    return page(
      c,
      TITLE,
      <>
        {done && (
          <div class="flash ok" role="status" data-applied>
            {t(done.text)}
            {((done.removed > 0 && removed.length > 0) || stranded.length > 0) && (
              <>
                {' '}
                <a href="#removed-h">
                  {t({
                    zh: '查看被移除或失去角色的人员及其待重新指派的案件',
                    en: 'See who was removed or lost their role, and the cases to reassign',
                  })}
                </a>
              </>
            )}
          </div>
        )}
        <ToldList told={told} pending={toldPending} lang={lang} />
        <section class="card" aria-labelledby="current-h">
          <h2 id="current-h" style="margin-top:0">
            {t({ zh: '当前名录', en: 'Current directory' })}
          </h2>
          {current ? (
            <>
              <p>{t(directorySizeText(current))}</p>
              <VersionList
                versions={versions}
                lang={lang}
                when={(iso) => formatTime(iso, deps.env.CAMPUS_TZ)}
                name={(id) => current.people.find((p) => p.id === id)?.name}
              />
              <p class="actions">
                <a class="button secondary" href="/app/admin/directory/export?format=csv" download>
                  {t({ zh: '下载 CSV', en: 'Download CSV' })}
                </a>
                <a class="button secondary" href="/app/admin/directory/export?format=xlsx" download>
                  {t({ zh: '下载 XLSX', en: 'Download XLSX' })}
                </a>
              </p>
            </>
          ) : (
            <p class="muted">{t({ zh: '尚未加载名录。', en: 'No directory is loaded yet.' })}</p>
          )}
        </section>
        {(removed.length > 0 || stranded.length > 0) && (
          <section class="card" aria-labelledby="removed-h" data-removed>
            <h2 id="removed-h" style="margin-top:0">
              {t({
                zh: '已移除或失去角色人员的未结案件（请重新指派）',
                en: 'Open cases of people removed or left without their role (reassign them)',
              })}
            </h2>
            <ul>
              {[
                ...removed.map((r) => ({ ...r, demoted: false })),
                ...stranded.map((r) => ({ ...r, demoted: true })),
              ].map((r) => (
                <li data-person={r.personId} data-demoted={r.demoted ? '' : undefined}>
                  {nameOf(r.personId, lang)}
                  {/* The id too: the directory file an admin edits names people by it. */}
                  {nameOf(r.personId, lang) !== r.personId && <span class="muted"> {r.personId}</span>}
                  {r.demoted &&
                    t({
                      zh: '（仍在名录中，但已无处理案件的角色）',
                      en: ' (still in the directory, but no longer in a role that acts on cases)',
                    })}
                  {t({ zh: '：', en: ': ' })}
                  {r.openCases.length === 0
                    ? t({ zh: '无未结案件', en: 'no open cases' })
                    : r.openCases.map((oc) => (
                        <>
                          {' '}
                          <a href={`/app/cases/${oc.caseId}`}>{oc.caseId}</a>
                        </>
                      ))}
                </li>
              ))}
            </ul>
          </section>
        )}
        <UploadForm lang={lang} csrf={c.get('csrfToken')} />
        <FormatHelp lang={lang} />
      </>,
    );
  });

  app.get('/admin/directory/export', async (c) => {
    if (!allowed(c)) return refusedPage(c, TITLE, ADMIN_RULE);
    const format = c.req.query('format') ?? 'csv';
    const current = await loadDirectory(ddb, tables, true);
    if (!current || (format !== 'csv' && format !== 'xlsx')) {
      const lang = c.get('lang');
      const msg: Bilingual = current
        ? { zh: 'format 须为 csv 或 xlsx', en: 'format must be csv or xlsx' }
        : { zh: '尚未加载名录', en: 'no directory is loaded yet' };
      return page(
        c,
        TITLE,
        <div class="flash error" role="alert">
          {inLang(msg, lang)}
        </div>,
        current ? 400 : 404,
      );
    }
    const table = directoryToTable(current);
    c.header('Cache-Control', 'no-store');
    if (format === 'csv') {
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', 'attachment; filename="directory.csv"');
      return c.body(tableToCsv(table));
    }
    c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    c.header('Content-Disposition', 'attachment; filename="directory.xlsx"');
    return c.body(await tableToXlsx(table));
  });

  app.post('/admin/directory/preview', async (c) => {
    if (!allowed(c)) return refusedPage(c, TITLE, ADMIN_RULE);
    const lang = c.get('lang');
    const t = (b: Bilingual) => inLang(b, lang);
    const csrf = c.get('csrfToken');
    const body = await formOr400(c);
    const file = body.file;
    const mode = modeOf(body.mode);
    const fail = (problems: ImportProblem[], rows: number | null, status: 400 | 413 = 400) =>
      page(
        c,
        TITLE,
        <>
          <div class="flash error" role="alert" data-import="invalid">
            {t({
              zh: `文件未通过校验：${problems.length} 处问题${rows === null ? '' : `（共 ${rows} 行数据）`}。没有写入任何内容。`,
              en: `The file did not pass: ${enCount(problems.length, 'problem')}${rows === null ? '' : ` in ${enCount(rows, 'data row')}`}. Nothing was written.`,
            })}
          </div>
          <ProblemTable problems={problems} lang={lang} />
          <UploadForm lang={lang} csrf={csrf} mode={mode} />
          <FormatHelp lang={lang} />
        </>,
        status,
      );
    if (!(file instanceof File) || file.size === 0)
      return fail(
        [
          {
            row: null,
            column: null,
            message: { zh: '请选择一个 CSV 或 XLSX 文件', en: 'choose a CSV or XLSX file' },
          },
        ],
        null,
      );
    if (file.size > MAX_IMPORT_BYTES)
      return fail(
        [
          {
            row: null,
            column: null,
            message: {
              zh: `文件过大（${Math.ceil(file.size / 1024)} KB，上限 ${MAX_IMPORT_BYTES / 1024} KB）`,
              en: `the file is too large (${Math.ceil(file.size / 1024)} KB, at most ${MAX_IMPORT_BYTES / 1024} KB)`,
            },
          },
        ],
        null,
        413,
      );
    const table = await readTable(file.name, await file.arrayBuffer());
    if (!table.ok) return fail([table.problem], null);
    const { directory: current, version } = await loadDirectoryVersion(ddb, tables);
    // A replacement is the whole directory by itself; a merge may list only what it adds or
    // replaces, and is checked as the directory it makes with the current one.
    const result: ImportResult<DirectoryPart> =
      mode === 'replace' ? importDirectory(table.rows) : importIntoDirectory(table.rows, current);
    if (!result.ok) return fail(result.problems, result.rows);
    const diff = diffDirectory(current, result.directory);
    const viewerId = c.get('viewer')?.person.id ?? '';
    // Weighed against the whole directory the import makes: a merge's file lists only its part.
    const next = mergedWith(mode === 'replace' ? null : current, result.directory);
    const { removing, demoted } = next
      ? await importImpact(deps, current, next, viewerId)
      : { removing: [], demoted: [] };
    const lost = next ? placesLost(current, next) : { floors: [], rooms: 0 };
    // Kept here, not in the form: the form names it, and the apply reads back what was previewed.
    const kept = await savePreview(deps.aws, {
      personId: viewerId,
      mode,
      version,
      directory: result.directory,
    });
    return page(
      c,
      { zh: '名录导入预览', en: 'Directory import preview' },
      <>
        <div class="flash ok" role="status" data-import="valid">
          {t({
            zh: `文件「${file.name}」通过校验（${result.rows} 行数据）。请核对以下变化，确认后导入。`,
            en: `"${file.name}" passed the checks (${result.rows} data rows). Review the changes below, then apply.`,
          })}
        </div>
        {table.encoding === 'gb18030' && (
          <div class="flash" role="status" data-encoding="gb18030">
            {t({
              zh: '此文件不是 UTF-8 编码，已按 GB18030（GBK）读取。请核对读出的中文姓名与名称是否正确；以后可在 Excel 中“另存为”选择“CSV UTF-8（逗号分隔）”。',
              en: 'This file is not UTF-8; it was read as GB18030 (GBK). Check that the Chinese names read correctly; next time, save from Excel as “CSV UTF-8 (Comma delimited)”.',
            })}{' '}
            {/* The preview lists ids only: these names are what the admin can check the reading by. */}
            <span data-encoding-sample>
              {t({ zh: '例如：', en: 'For example: ' })}
              {[
                ...(result.directory.campus ? [result.directory.campus.name.zh] : []),
                ...result.directory.people.map((p) => p.name),
                ...result.directory.buildings.map((b) => b.name.zh),
                ...result.directory.departments.map((d) => d.name.zh),
              ]
                .slice(0, 6)
                .join(t({ zh: '、', en: ', ' }))}
            </span>
          </div>
        )}
        <section class="card" aria-labelledby="preview-h">
          <h2 id="preview-h" style="margin-top:0">
            {t({ zh: '导入后的变化', en: 'What the import changes' })}
          </h2>
          {diff.campus.length > 0 && (
            <p data-campus-changed>
              {t({ zh: '校园信息变化：', en: 'Campus details change: ' })}
              {diff.campus.join(', ')}
            </p>
          )}
          <DiffView
            diff={diff}
            lang={lang}
            mode={mode}
            label={importLabels(current, result.directory, lang)}
          />
          {mode === 'merge' ? (
            <p class="hint" data-import-mode="merge">
              {t({
                zh: '导入按 id 新增或替换条目；文件中没有的条目保持不变，不会删除。要删除文件中没有的人员，请选择“删除（以文件为完整名录）”后重新上传。',
                en: 'The import adds or replaces entries by id; entries not in the file stay as they are and are not deleted. To remove the people the file does not list, choose "Remove them (the file is the whole directory)" and upload again.',
              })}
            </p>
          ) : (
            <div data-import-mode="replace">
              <p class="hint">
                {t({
                  zh: '文件即完整名录：文件中没有的人员、楼栋和院系将被删除。被删除的人员立即失去访问权限（令牌、会话与邮件链接失效），其未结案件须重新指派。',
                  en: 'The file is the whole directory: people, buildings and departments it does not list are removed. Removed people lose access at once (tokens, sessions and email links stop), and their open cases must be reassigned.',
                })}
              </p>
              <RemovingList removing={removing} lang={lang} />
            </div>
          )}
          <DemotedList demoted={demoted} lang={lang} />
          <PlacesLostWarning lost={lost} lang={lang} />
          <form method="post" action="/app/admin/directory/apply" class="actions">
            <Csrf token={csrf} />
            <input type="hidden" name="preview" value={kept.id} />
            <input type="hidden" name="hash" value={kept.hash} />
            {/* Removing people cuts their access at once: not the same button as a harmless apply. */}
            <button type="submit" class={mode === 'replace' && removing.length > 0 ? 'danger' : undefined}>
              {mode === 'replace' && removing.length > 0
                ? t({
                    zh: `确认导入并移除 ${removing.length} 人`,
                    en: `Apply and remove ${removing.length} ${removing.length === 1 ? 'person' : 'people'}`,
                  })
                : t({ zh: '确认导入', en: 'Apply the import' })}
            </button>
            <a class="button secondary" href="/app/admin/directory">
              {t({ zh: '取消', en: 'Cancel' })}
            </a>
          </form>
        </section>
      </>,
    );
  });

  /**
   * Applies a claimed preview: the directory it makes, saved, and the counts the page shows; or the
   * page saying why nothing was written.
   */
  async function applyClaimed(
    c: WebContext,
    preview: StoredPreview,
  ): Promise<{ counts: string; snapshot: DirectorySnapshot } | Response> {
    // What was previewed, as the preview page kept it: its mode, the version a whole-directory
    // import was checked against (a directory changed since would remove people the admin never
    // saw listed), and the directory itself, checked again as a schema change may have come since.
    const { mode, version: previewed, directory: raw } = preview;
    const lang = c.get('lang');
    // A replacement is a whole directory by itself; a merge's file may be partial, and is checked
    // as the directory it makes with the one in force.
    const checked = mode === 'replace' ? validateDirectory(raw) : null;
    // The import is merged into the directory in force and saved only if that is still the one in
    // force: another admin's load landing in between is merged with, never undone (a few tries).
    for (let attempt = 1; ; attempt++) {
      const { directory: current, version } = await loadDirectoryVersion(ddb, tables);
      const m = checked ? null : mergeFile(current, raw);
      const merged = checked ?? validateDirectory(m?.raw);
      const stale = mode === 'replace' && previewed !== version;
      // A merge previewed with an admin left may meet a directory another load has changed since.
      const stewards = merged.ok ? keepsStewards(merged.directory) : [];
      if (!merged.ok || stale || stewards.length > 0) {
        // What was wrong, when there is something to say: a directory changed since the preview may
        // clash with the current one, and the page names how.
        const problems: ImportProblem[] = merged.ok
          ? stewards.map((p) => ({ row: null, column: null, message: p.text }))
          : m
            ? afterMerge(merged.problems, m.raw)
            : asRowless(merged.problems, raw);
        return page(
          c,
          TITLE,
          <>
            <div class="flash error" role="alert" data-import="invalid">
              {inLang(
                stale && merged.ok
                  ? {
                      zh: '预览之后名录已被修改，将被移除的人员可能与预览不同，没有写入任何内容。请重新上传文件预览。',
                      en: 'The directory changed after the preview, so who would be removed may differ from what it listed; nothing was written. Upload the file again to preview.',
                    }
                  : {
                      zh: '导入内容无效或已过期，没有写入任何内容。请重新上传文件。',
                      en: 'The import is not valid or has expired; nothing was written. Upload the file again.',
                    },
                lang,
              )}
            </div>
            {problems.length > 0 && <ProblemTable problems={problems} lang={lang} />}
            <UploadForm lang={lang} csrf={c.get('csrfToken')} mode={mode} />
          </>,
          stale && merged.ok ? 409 : 400,
        );
      }
      // The whole directory as it now stands is the new snapshot: a merge adds and replaces and never
      // removes; a replacement removes whom the file leaves out, as a directory file load does.
      try {
        const saved = await saveDirectory(ddb, tables, merged.directory, undefined, {
          basedOn: { version },
          savedBy: c.get('viewer')?.person.id ?? 'unknown',
          tellStranded: true,
        });
        const diff = diffDirectory(current, m ? fileEntries(merged.directory, m) : merged.directory);
        const counts =
          appliedCounts(diff) +
          (mode === 'replace' ? `.${diffKinds(diff).reduce((n, k) => n + k.kept.length, 0)}` : '');
        return { counts, snapshot: saved };
      } catch (err) {
        // A replacement is not made again over a rival load: the next pass finds it stale and says so.
        if (!(err instanceof DirectoryChangedMeanwhile) || attempt >= 3) throw err;
      }
    }
  }

  app.post('/admin/directory/apply', async (c) => {
    if (!allowed(c)) return refusedPage(c, TITLE, ADMIN_RULE);
    const lang = c.get('lang');
    const body = await formOr400(c);
    const previewId = typeof body.preview === 'string' ? body.preview : '';
    const hash = typeof body.hash === 'string' ? body.hash : '';
    const found: PreviewLookup =
      previewId !== '' && PREVIEW_HASH.test(hash)
        ? await loadPreview(deps.aws, { id: previewId, hash, personId: c.get('viewer')?.person.id ?? '' })
        : { ok: false, reason: 'mismatch' };
    // Applied already (the same form posted again, a second click): answered as that apply was.
    // The page after reads what the apply stored with the preview by its id.
    const appliedTo = () => c.redirect(`/app/admin/directory?applied=${encodeURIComponent(previewId)}`, 303);
    if (!found.ok && found.reason === 'applied') return appliedTo();
    // Expired or never made (the TTL leaves no trace to tell the two apart): upload again. A form
    // without its preview, or with a hash not the preview's, was not posted by the preview page.
    const notFound = (gone: boolean) =>
      page(
        c,
        TITLE,
        <>
          <div class="flash error" role="alert" data-import="expired">
            {inLang(
              gone
                ? {
                    zh: `找不到这次导入预览，或它已过期（预览保留 ${IMPORT_PREVIEW_SECONDS / 60} 分钟）。没有写入任何内容。请重新上传文件预览。`,
                    en: `This import preview was not found or has expired (previews are kept for ${IMPORT_PREVIEW_SECONDS / 60} minutes). Nothing was written. Upload the file again to preview it.`,
                  }
                : {
                    zh: '提交的内容与任何导入预览都不符，没有写入任何内容。请重新上传文件预览。',
                    en: 'What was posted matches no import preview; nothing was written. Upload the file again to preview it.',
                  },
              lang,
            )}
          </div>
          <UploadForm lang={lang} csrf={c.get('csrfToken')} />
        </>,
        gone ? 404 : 400,
      );
    if (!found.ok) return notFound(found.reason !== 'mismatch');
    // One apply per preview: a second post of the same form (a double click) waits for the first
    // and answers as it did, rather than failing its save against the version the first one made.
    let claim: PreviewClaim = await claimPreview(deps.aws, previewId);
    for (let waited = 0; !claim.claimed && claim.state === 'applying' && waited < CLAIM_WAIT_MS;) {
      await new Promise((r) => setTimeout(r, CLAIM_POLL_MS));
      waited += CLAIM_POLL_MS;
      claim = await claimPreview(deps.aws, previewId);
    }
    if (!claim.claimed && claim.state === 'applied') return appliedTo();
    if (!claim.claimed && claim.state === 'gone') return notFound(true);
    if (!claim.claimed)
      return page(
        c,
        TITLE,
        <div class="flash" role="status" data-import="applying">
          {inLang(
            {
              zh: '这次导入正在由另一次提交写入，请稍后刷新名录页查看结果。',
              en: 'This import is being applied by another submission; reload the directory page shortly to see the result.',
            },
            lang,
          )}
        </div>,
        409,
      );
    let outcome: { counts: string; snapshot: DirectorySnapshot } | Response;
    try {
      outcome = await applyClaimed(c, found.preview);
    } catch (err) {
      await releasePreview(deps.aws, previewId).catch((e: unknown) => {
        console.warn(`[directory import] preview ${previewId} left claimed: ${String(e)}`);
      });
      throw err;
    }
    if (outcome instanceof Response) {
      // Nothing was written: the claim is given up, so the preview can be applied again.
      await releasePreview(deps.aws, previewId);
      return outcome;
    }
    // Applied: the same form posted again is told so. Left unmarked the claim stays 'applying' and
    // goes by the TTL, so failing to mark it is only a warning.
    await markApplied(deps.aws, previewId, {
      version: outcome.snapshot.version,
      result: outcome.counts,
    }).catch((err: unknown) => {
      console.warn(`[directory import] preview ${previewId} applied but not marked so: ${String(err)}`);
    });
    // The save marked the version to be told. Slow mail does not hold the answer up: the page it
    // leads to says the mail is on its way, and what fails goes with a later catch-up.
    await tellAfterSave(deps, outcome.snapshot);
    return appliedTo();
  });

  return app;
}
