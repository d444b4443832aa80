import { z } from 'zod';
import type { AwsDeps } from '../store/clients.ts';
import type { EvidenceReadDeps } from '../store/evidence.ts';
import { caseExport, exportPeriod, renderCaseExport, type ExportFormat } from './export.ts';
import { verifyAll, type AnchorRuns, type VerifyEvent } from './verify.ts';

/**
 * The long audit reads as jobs (every chain verified, a period or a case
 * exported): what each kind takes, and the text it produces as pieces, with
 * progress. The API creates the job, the worker's activity runs it and stores
 * the pieces in the object store; nothing here knows about either.
 */
const format = z.enum(['json', 'csv']);
const witness = z.object({
  source: z.string(),
  seq: z.number(),
  hash: z.string(),
  root: z.string(),
  anchorId: z.string().optional(),
  caseCount: z.number().optional(),
  basedOn: z.number().nullable().optional(),
});

export const auditJobParamsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('verify'),
    progressEvery: z.number().int().min(1).max(10_000).default(50),
    /** The newest anchor as Temporal remembers it, asked by the API when the job was started. */
    witness: witness.nullable().default(null),
  }),
  z.object({
    kind: z.literal('period_export'),
    from: z.string(),
    to: z.string(),
    /** The period as the person typed it, for the file name. */
    label: z.string(),
    buildingId: z.string().optional(),
    format,
  }),
  z.object({ kind: z.literal('case_export'), caseId: z.string(), format }),
]);
export type AuditJobParams = z.infer<typeof auditJobParamsSchema>;
export type AuditJobKind = AuditJobParams['kind'];

export interface JobOutput {
  contentType: string;
  fileName: string;
  /** The result's text, piece by piece; `progress` is called as the read moves on. */
  pieces: AsyncGenerator<string>;
  /** Filled in once `pieces` is exhausted: a small summary for the job's row. */
  summary: () => Record<string, unknown> | undefined;
}

const contentTypes: Record<ExportFormat | 'ndjson', string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};
const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_');

/** What a job of these parameters produces; null when a case export names a case with no trail. */
export async function jobOutput(
  /** `timeZone`: the campus's (CAMPUS_TZ), for an export's local-time column. */
  deps: AwsDeps & { timeZone?: string | undefined },
  params: AuditJobParams,
  progress: (p: { done: number; total: number | null }) => void,
  now: () => Date = () => new Date(),
  /** How to ask Temporal about the run behind each recent anchor row (the verify job's forgery check). */
  runs?: AnchorRuns,
  /** Where the verify job reads the cited files back to re-hash them, as a single case's verify does. */
  evidence?: EvidenceReadDeps,
): Promise<JobOutput | null> {
  switch (params.kind) {
    case 'verify': {
      const { progressEvery, witness } = params;
      let summary: Record<string, unknown> | undefined;
      async function* lines(): AsyncGenerator<string> {
        for await (const e of verifyAll(deps, {
          progressEvery,
          witness,
          ...(runs ? { runs } : {}),
          ...(evidence ? { evidence } : {}),
        })) {
          if (e.type === 'start') progress({ done: 0, total: e.total });
          if (e.type === 'progress') progress({ done: e.checked, total: e.total });
          if (e.type === 'summary') summary = summariseVerification(e);
          yield `${JSON.stringify(e)}\n`;
        }
      }
      return {
        contentType: contentTypes.ndjson,
        fileName: `audit-verify-${now().toISOString().slice(0, 10)}.ndjson`,
        pieces: lines(),
        summary: () => summary,
      };
    }
    case 'period_export': {
      let cases = 0;
      const pieces = exportPeriod(
        deps,
        {
          from: params.from,
          to: params.to,
          buildingId: params.buildingId,
          format: params.format,
          timeZone: deps.timeZone,
        },
        now().toISOString(),
      );
      async function* counted(): AsyncGenerator<string> {
        for await (const piece of pieces) {
          // Each case is one piece after the header: enough to show that the export moves.
          progress({ done: cases++, total: null });
          yield piece;
        }
      }
      return {
        contentType: contentTypes[params.format],
        fileName: safeName(
          `audit-${params.label}${params.buildingId ? `-${params.buildingId}` : ''}.${params.format}`,
        ),
        pieces: counted(),
        summary: () => undefined,
      };
    }
    case 'case_export': {
      const exported = await caseExport(deps, params.caseId);
      if (!exported) return null;
      return {
        contentType: contentTypes[params.format],
        fileName: safeName(`${params.caseId}-audit.${params.format}`),
        pieces: renderCaseExport(exported, params.format, now().toISOString(), deps.timeZone),
        summary: () => ({ entries: exported.trail.length, ok: exported.verification.ok }),
      };
    }
  }
}

/** The counts of a verification, small enough for the job's row; the failures are in the result file. */
export function summariseVerification(e: Extract<VerifyEvent, { type: 'summary' }>): Record<string, unknown> {
  return {
    ok: e.ok,
    anchorOk: e.anchorOk,
    checked: e.checked,
    intact: e.intact,
    notAnchored: e.notAnchored,
    broken: e.broken.length,
    missing: e.missing.length,
    rewritten: e.rewritten.length,
    ...(e.files ? { filesChecked: e.files.checked, filesBroken: e.files.broken.length } : {}),
  };
}
