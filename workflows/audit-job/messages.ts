/** How the API addresses the audit job workflow (it imports messages, never the workflow). */
export const AUDIT_JOB_WORKFLOW = 'auditJob';

export interface AuditJobInput {
  jobId: string;
}
