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

export function csvCell(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (cells: (string | number | boolean | null | undefined)[]) =>
  `${cells.map(csvCell).join(',')}\r\n`;

function csvRows(c: CaseExport): string {
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
      ]);
    })
    .join('');
}

const CSV_HEAD = `\uFEFF${csvLine([...CSV_COLUMNS])}`;

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

/** Serialises one case's export (already read: the caller answers 404 before streaming). */
export async function* renderCaseExport(
  c: CaseExport,
  format: ExportFormat,
  exportedAt: string,
): AsyncGenerator<string> {
  if (format === 'csv') {
    yield CSV_HEAD;
    yield csvRows(c);
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
}

/** Every case opened in [from, to) (optionally in one building), oldest first, with its trail. */
export async function* exportPeriod(
  deps: AwsDeps,
  req: PeriodExportRequest,
  exportedAt: string,
): AsyncGenerator<string> {
  const { check, heads } = await loadAnchor(deps);
  const anchorUsable = check !== null && check.heads.ok;
  if (req.format === 'csv') yield CSV_HEAD;
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
    if (req.format === 'csv') yield csvRows(c);
    else yield `${count === 0 ? '' : ','}${JSON.stringify(c)}`;
    count += 1;
  }
  if (req.format === 'json') yield `],"count":${count}}\n`;
}
