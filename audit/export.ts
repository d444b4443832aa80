import { DEFAULT_TIME_ZONE, localDateTime } from '../domain/calendar.ts';
import type { CaseView } from '../domain/case-model.ts';
import type { AuditEntry } from '../domain/hash-chain.ts';
import { caseIds, type PeriodFilter } from './scan.ts';
import { readChain } from '../store/audit-chain.ts';
import { checkChain, loadAnchor, verifyCase, type CaseVerification } from './verify.ts';
import type { AwsDeps } from '../store/clients.ts';
import { getCaseRecord } from '../store/case-records.ts';

/**
 * Exports of cases with their audit trails, produced piece by piece so a
 * year of cases streams out without being held in memory.
 *
 * JSON is one document: the entries exactly as stored, so anyone can recompute
 * every hash from the export alone (canonical JSON, SHA-256, see
 * domain/hash-chain.ts), with the verification result beside each trail.
 * CSV is one row per audit entry, for spreadsheets: UTF-8 with a BOM (Excel
 * reads Chinese correctly then), and a cell a spreadsheet would run as a
 * formula (starting = + - @) is prefixed with ' so opening the file can't
 * execute anything; the JSON export is the one to re-verify hashes from.
 * Each row's `at` stays the stored UTC instant (what a program reads and what was hashed); the
 * last column gives it on the campus clock, as every page shows it, its header naming the zone.
 */
export type ExportFormat = 'json' | 'csv';

export interface CaseExport {
  caseId: string;
  case: CaseView | null;
  verification: CaseVerification;
  trail: AuditEntry[];
}

export const CSV_COLUMNS = [
  'case_id',
  'seq',
  'at',
  'actor_id',
  'actor_role',
  'actor_via',
  'action',
  'payload',
  'prev_hash',
  'hash',
  'building_id',
  'stage',
  'title',
  'chain_ok',
] as const;

/** The header of the campus-time column: the zone is in it, so a spreadsheet reader knows which clock. */
export const localAtColumn = (tz: string): string => `at_local (${tz})`;

/** An instant on the campus wall clock, 'YYYY-MM-DD HH:mm:ss', as the pages show it (without the zone). */
export const localAt = (iso: string, tz: string): string => localDateTime(iso, tz);

export function csvCell(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (cells: (string | number | boolean | null | undefined)[]) =>
  `${cells.map(csvCell).join(',')}\r\n`;

function csvRows(c: CaseExport, tz: string): string {
  return c.trail
    .map((e) => {
      const actor = e.actor as { id: string; role?: string; via?: string };
      return csvLine([
        e.caseId,
        e.seq,
        e.at,
        actor.id,
        actor.role,
        actor.via,
        e.action,
        e.payload === undefined ? '' : JSON.stringify(e.payload),
        e.prevHash,
        e.hash,
        c.case?.location.buildingId,
        c.case?.stage,
        c.case?.title,
        c.verification.ok,
        localAt(e.at, tz),
      ]);
    })
    .join('');
}

const csvHead = (tz: string) => `\uFEFF${csvLine([...CSV_COLUMNS, localAtColumn(tz)])}`;

/** One case with its trail, or null when the case has neither a record nor a trail. */
export async function caseExport(deps: AwsDeps, caseId: string): Promise<CaseExport | null> {
  const [record, trail] = await Promise.all([
    getCaseRecord(deps.ddb, deps.tables, caseId),
    readChain(deps.ddb, deps.tables, caseId),
  ]);
  if (!record && trail.length === 0) return null;
  const verification = await verifyCase(deps, caseId, { hasRecord: record !== null });
  return { caseId, case: record, verification, trail };
}

/**
 * Serialises one case's export (already read: the caller answers 404 before streaming); `tz` is
 * the campus time zone (CAMPUS_TZ) of the CSV's local-time column.
 */
export async function* renderCaseExport(
  c: CaseExport,
  format: ExportFormat,
  exportedAt: string,
  tz: string = DEFAULT_TIME_ZONE,
): AsyncGenerator<string> {
  if (format === 'csv') {
    yield csvHead(tz);
    yield csvRows(c, tz);
    return;
  }
  yield `{"exportedAt":${JSON.stringify(exportedAt)},"caseId":${JSON.stringify(c.caseId)},`;
  yield `"case":${JSON.stringify(c.case)},"verification":${JSON.stringify(c.verification)},"trail":[`;
  for (const [i, e] of c.trail.entries()) yield `${i === 0 ? '' : ','}${JSON.stringify(e)}`;
  yield ']}\n';
}

// The reports and the exports read a period the same way (the API and the CLI import it from here).
export { periodBounds } from '../store/kpi-tallies.ts';

export interface PeriodExportRequest extends PeriodFilter {
  from: string;
  to: string;
  format: ExportFormat;
  /** The campus time zone (CAMPUS_TZ) of the CSV's local-time column; Asia/Shanghai when not given. */
  timeZone?: string | undefined;
}

/** Every case opened in [from, to) (optionally in one building), oldest first, with its trail. */
export async function* exportPeriod(
  deps: AwsDeps,
  req: PeriodExportRequest,
  exportedAt: string,
): AsyncGenerator<string> {
  const { check, heads } = await loadAnchor(deps);
  const anchorUsable = check !== null && check.heads.ok;
  const tz = req.timeZone ?? DEFAULT_TIME_ZONE;
  if (req.format === 'csv') yield csvHead(tz);
  else {
    const period = { from: req.from, to: req.to, buildingId: req.buildingId ?? null };
    const anchor = check
      ? { seq: check.seq, at: check.at, root: check.root, ok: check.chain.ok && check.heads.ok }
      : null;
    yield `{"exportedAt":${JSON.stringify(exportedAt)},"period":${JSON.stringify(period)},"anchor":${JSON.stringify(anchor)},"cases":[`;
  }
  let count = 0;
  for await (const caseId of caseIds(deps.ddb, deps.tables, req)) {
    const [record, trail] = await Promise.all([
      getCaseRecord(deps.ddb, deps.tables, caseId),
      readChain(deps.ddb, deps.tables, caseId),
    ]);
    const head = anchorUsable ? heads.get(caseId) : undefined;
    const verification = checkChain(
      caseId,
      trail,
      head && check ? { head, anchorSeq: check.seq } : undefined,
      record !== null,
    );
    const c: CaseExport = { caseId, case: record, verification, trail };
    if (req.format === 'csv') yield csvRows(c, tz);
    else yield `${count === 0 ? '' : ','}${JSON.stringify(c)}`;
    count += 1;
  }
  if (req.format === 'json') yield `],"count":${count}}\n`;
}
