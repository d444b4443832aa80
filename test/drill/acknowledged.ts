import { BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { opsKey } from '../../store/keys.ts';
import type { AwsDeps } from '../../store/clients.ts';

/** One step record the case's workflow asked an activity to write. */
export interface DecidedStep {
  stepId: string;
  action: string;
  /** An activity that carried it completed: the store acknowledged the write. */
  acknowledged: boolean;
  /** Its step row is in the table now (written with its audit entry, in one transaction). */
  stored: boolean;
}

// The activities that write a case's step records, and where their records are in the input.
const WRITERS: Record<string, (input: unknown) => unknown[]> = {
  recordStep: (input) => [input],
  applyTransition: (input) => {
    const records = (input as { records?: unknown } | null)?.records;
    return Array.isArray(records) ? records : [];
  },
};

const stepNumber = (stepId: string) => Number(/step-(\d+)$/.exec(stepId)?.[1] ?? Number.NaN);

function stepOf(record: unknown): { stepId: string; action: string } | undefined {
  const r = record as { stepId?: unknown; action?: unknown } | null;
  return typeof r?.stepId === 'string' && typeof r.action === 'string'
    ? { stepId: r.stepId, action: r.action }
    : undefined;
}

/**
 * The case's step records as its workflow history has them (in the order decided), whether each
 * was acknowledged (an activity carrying it completed) and whether it is in the table. A record
 * acknowledged and not stored is one the store lost after saying it had it: file-backed
 * DynamoDB Local does that to the last transaction it acknowledged before a SIGKILL
 * (test/drill/ddb-durability.ts); real DynamoDB does not.
 */
export async function decidedSteps(
  temporalAddress: string,
  aws: AwsDeps,
  caseId: string,
): Promise<DecidedStep[]> {
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const history = await new Client({ connection }).workflow.getHandle(caseId).fetchHistory();
    const scheduled = new Map<string, { stepId: string; action: string }[]>();
    const acknowledged = new Set<string>();
    const decided = new Map<string, string>();
    for (const event of history.events ?? []) {
      const s = event.activityTaskScheduledEventAttributes;
      const writer = s?.activityType?.name ? WRITERS[s.activityType.name] : undefined;
      if (s && writer) {
        const payload = s.input?.payloads?.[0];
        const input: unknown = payload ? defaultPayloadConverter.fromPayload(payload) : undefined;
        const steps = writer(input).flatMap((r) => stepOf(r) ?? []);
        scheduled.set(String(event.eventId), steps);
        for (const st of steps) if (!decided.has(st.stepId)) decided.set(st.stepId, st.action);
      }
      const done = event.activityTaskCompletedEventAttributes;
      if (done)
        for (const st of scheduled.get(String(done.scheduledEventId)) ?? []) acknowledged.add(st.stepId);
    }
    const ids = [...decided.keys()].filter((id) => !id.startsWith('email#'));
    const stored = new Set<string>();
    for (let i = 0; i < ids.length; i += 100) {
      const got = await aws.ddb.send(
        new BatchGetItemCommand({
          RequestItems: {
            [aws.tables.ops]: {
              Keys: ids.slice(i, i + 100).map((id) => marshall(opsKey.auditStep(caseId, id))),
              ConsistentRead: true,
            },
          },
        }),
      );
      for (const item of got.Responses?.[aws.tables.ops] ?? []) if (item.sk?.S) stored.add(item.sk.S);
    }
    return ids
      .map((stepId) => ({
        stepId,
        action: decided.get(stepId) ?? '',
        acknowledged: acknowledged.has(stepId),
        stored: stored.has(stepId),
      }))
      .sort((a, b) => stepNumber(a.stepId) - stepNumber(b.stepId));
  } finally {
    await connection.close();
  }
}
