import { addDays } from '../../domain/calendar.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { getOccurrence } from '../../store/duties.ts';
import { startApiStack, type ApiStack } from '../api/harness.ts';
import { ownTables, testDeps, testEnv, uniqueId } from './stack.ts';

/** A day far ahead, of the file's own (random): the occurrences' workflow ids are shared by every file. */
export const farDay = () => addDays('2060-01-01', Math.floor(Math.random() * 10_000));

export interface DutyStack {
  s: ApiStack;
  /** The occurrences the day's calendar run opened, each stored. */
  ids: string[];
  store: () => { ddb: ApiStack['deps']['aws']['ddb']; tables: ApiStack['deps']['aws']['tables'] };
  /** Ends the occurrences' runs and the stack. */
  stop(): Promise<void>;
}

/**
 * The API over the real stack in tables of its own, and the duty calendar run for `date` on
 * `buildingIds` and `dutyIds`: resolves once every occurrence it opened is on record.
 */
export async function startDutyStack(
  name: string,
  date: string,
  buildingIds: string[],
  dutyIds: string[],
): Promise<DutyStack> {
  const tables = ownTables(uniqueId(name));
  const aws = testDeps(testEnv(tables));
  await ensureTables(aws.ddb, aws.tables);
  const s = await startApiStack({}, tables);
  const store = () => ({ ddb: s.deps.aws.ddb, tables: s.deps.aws.tables });
  const ids = (await s.deps.temporal.workflow.execute('dutyCalendar', {
    taskQueue: s.deps.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueId('duties'),
    args: [{ date, timeZone: s.deps.env.CAMPUS_TZ, buildingIds, dutyIds }],
  })) as string[];
  for (const id of ids)
    for (let i = 0; i < 200 && !(await getOccurrence(store(), id)); i++)
      await new Promise((r) => setTimeout(r, 100));
  return {
    s,
    ids,
    store,
    async stop() {
      for (const id of ids)
        await s.deps.temporal.workflow
          .getHandle(id)
          .terminate('test over')
          .catch(() => undefined);
      await s.stop();
    },
  };
}
