import { API_LAMBDA_RUNTIME } from '../runtimes.ts';
import {
  DEPLOYED_CALENDAR_FILE,
  apiLinks,
  auditReadPermission,
  functionSecretReferences,
  pageScheduleEnvironment,
  runtimeEnvironment,
  type RuntimeResources,
} from './environment.ts';

/** Where the Lambda entry lives (api/lambda.ts, export `handler`). */
export const API_HANDLER = 'api/lambda.handler';

/**
 * The HTTP API: the same Hono app as `npm start`, on Lambda behind a function
 * URL. The app authenticates every request itself (bearer tokens against the
 * school's JWKS, signed links), so the URL takes no IAM auth. Without a
 * RECTIFY_PUBLIC_URL the function learns its own address from its first request.
 * Credentials are not in its configuration: it reads them from SSM at its cold start.
 */
export function createApi(r: RuntimeResources) {
  const secrets = functionSecretReferences(r);
  return new sst.aws.Function('Api', {
    handler: API_HANDLER,
    // A runtime Lambda still supports (infra/runtimes.ts; a unit test checks its date).
    runtime: API_LAMBDA_RUNTIME,
    architecture: 'arm64',
    memory: '1024 MB',
    // Steps are Temporal updates that wait for the case to record them: seconds, rarely more.
    timeout: '30 seconds',
    url: true,
    // The calendar file is read at run time, so it travels beside the bundle.
    copyFiles: [{ from: DEPLOYED_CALENDAR_FILE, to: DEPLOYED_CALENDAR_FILE }],
    // Not the audit table (read-only below) nor the anchor bucket: only the worker writes history.
    link: apiLinks(r),
    environment: {
      ...runtimeEnvironment(r, r.settings.publicUrl),
      // The weekly page says when the next report is built: from the schedule the worker runs.
      ...pageScheduleEnvironment(r),
      ...secrets.environment,
    },
    permissions: [
      // /health asks DynamoDB and SES for account-level answers, which no table or identity ARN covers.
      { actions: ['dynamodb:ListTables', 'ses:GetSendQuota'], resources: ['*'] },
      auditReadPermission(r),
      secrets.permission,
    ],
  });
}
