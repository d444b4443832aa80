import { addDays } from '../../domain/calendar.ts';
import { roundId, type InspectionRound } from '../../domain/inspection.ts';
import { getRound } from '../../store/inspections.ts';
import type { AppDeps } from '../../api/deps.ts';

/** Polls `read` every 100 ms until `ok` holds (30 s at most). */
export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('waited too long');
}

/**
 * Inspection rounds of a test file, on its API stack's Temporal client and tables: days of its
 * own (every file shares one Temporal namespace, and a round's id is its kind, building and day),
 * far enough ahead that the rounds stay open while the file runs.
 */
export function inspectionRoundKit(deps: () => AppDeps, days: { from: number; span: number }) {
  const store = () => ({ ddb: deps().aws.ddb, tables: deps().aws.tables });
  const usedDays = new Set<number>();

  function freshDate(): string {
    let n: number;
    do n = days.from + Math.floor(Math.random() * days.span);
    while (usedDays.has(n));
    usedDays.add(n);
    return addDays('2030-01-01', n);
  }

  async function roundNow(id: string): Promise<InspectionRound> {
    const r = await getRound(store(), id);
    if (!r) throw new Error(`no round ${id}`);
    return r;
  }

  /** A daily round of bldg-a started straight (as the schedule's workflow starts it), once it is in the store. */
  async function openRoundWithHandle() {
    const date = freshDate();
    const id = roundId('daily', 'bldg-a', date);
    const handle = await deps().temporal.workflow.start('inspectionRound', {
      taskQueue: deps().env.TEMPORAL_TASK_QUEUE,
      workflowId: id,
      args: [
        {
          kind: 'daily',
          buildingId: 'bldg-a',
          date,
          assigneeIds: ['sup-wang', 'sup-smith'],
          timeZone: deps().env.CAMPUS_TZ,
        },
      ],
    });
    await until(
      () => getRound(store(), id),
      (r) => r !== null,
    );
    return { id, handle };
  }

  const openRound = async (): Promise<string> => (await openRoundWithHandle()).id;

  return { store, freshDate, roundNow, openRound, openRoundWithHandle };
}
