import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetSendQuotaCommand } from '@aws-sdk/client-ses';
import type { AppDeps } from './deps.ts';

export interface HealthReport {
  ok: boolean;
  checks: Record<'temporal' | 'dynamodb' | 'ses', { ok: boolean; detail?: string }>;
}

const within = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)),
  ]);

async function check(fn: () => Promise<unknown>): Promise<{ ok: boolean; detail?: string }> {
  try {
    await within(fn(), 3000);
    return { ok: true };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

/** Asks Temporal, DynamoDB and SES each for a trivial answer. */
export async function healthReport(deps: AppDeps): Promise<HealthReport> {
  const [temporal, dynamodb, ses] = await Promise.all([
    check(() => deps.temporal.workflowService.getSystemInfo({})),
    check(() => deps.aws.ddb.send(new ListTablesCommand({ Limit: 1 }))),
    check(async () => {
      if (deps.env.SES_ENDPOINT) {
        // The emulator doesn't implement quota calls; its store answering proves it is up.
        const res = await fetch(`${deps.env.SES_ENDPOINT}/store`);
        if (!res.ok) throw new Error(`SES emulator answered ${res.status}`);
        return;
      }
      await deps.aws.ses.send(new GetSendQuotaCommand({}));
    }),
  ]);
  return { ok: temporal.ok && dynamodb.ok && ses.ok, checks: { temporal, dynamodb, ses } };
}
