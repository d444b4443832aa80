// The audit pages' addresses for one case: the audit page lists them, the case page offers them.
import type { ExportFormat } from '../../../audit/export.ts';

/** The verification of one case's chain (GET /app/audit/verify). */
export const verifyHref = (id: string) => `/app/audit/verify?caseId=${encodeURIComponent(id)}`;

/** One case's trail exported as CSV or JSON (GET /app/audit/cases/{id}/export). */
export const exportHref = (id: string, f: ExportFormat) =>
  `/app/audit/cases/${encodeURIComponent(id)}/export?format=${f}`;
