import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Directory, Person } from '../domain/directory.ts';
import {
  gridCells,
  zeroLinkCaseId,
  ZERO_REPORT_STEP,
  type ZeroCell,
  type ZeroEscalation,
  type ZeroReport,
} from '../domain/zero-report.ts';
import {
  askMail,
  escalationMail,
  lateReportMail,
  summaryMail,
  type ZeroMail,
} from '../domain/zero-report-email.ts';
import { loadDirectory } from '../store/directory.ts';
import { issueLink } from '../store/links.ts';
import { sendOnce } from '../store/outbox.ts';
import {
  claimNight,
  loadNight,
  saveEscalation,
  saveReport,
  saveSummary,
  takeOverNight,
  type StoredNight,
} from '../store/zero-reports.ts';
import type { ActivityDeps } from './index.ts';
import { failingPermanently, setAsideIfRefused } from './permanent-failures.ts';

export interface OpenNightInput {
  night: string;
  /** The run reports are sent to: the API finds it here. */
  workflowId: string;
  closeAt: string;
  acceptUntil: string;
  timeZone: string;
}

export interface OpenNightResult {
  cells: ZeroCell[];
  workingGroupIds: string[];
  asked: number;
  /**
   * Another run holds the night (the schedule triggered twice): this one asked nobody and must
   * end at once, so the night keeps one run and one set of reports.
   */
  heldBy?: string | undefined;
  /**
   * The night's reports stored before this run held it (it took the night over from a run that
   * died, or its workflow id ran before): the run carries them on, so a cell that reported is
   * neither escalated nor left out of the summaries. Absent when there are none.
   */
  onRecord?: ZeroReport[] | undefined;
}

/** The departments with students in `rooms`, each with the rooms of theirs among them (a summary's or a late report's readers). */
function departmentsLivingIn(dir: Directory, rooms: readonly string[]) {
  const among = new Set(rooms);
  return dir.departments
    .map((d) => ({ d, deptRooms: new Set((d.rooms ?? []).filter((r) => among.has(r))) }))
    .filter((x) => x.deptRooms.size > 0);
}

/** How a run ends without finishing its night: another run may take the night over from it. */
const ABANDONED = new Set(['TERMINATED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

/**
 * Whether the run holding a night has closed without finishing it, asked of Temporal through the
 * worker's client. A run that completed held its night to the end, and a run still going keeps it.
 * Without a client (a mock activity environment) the holder keeps the night, as before; a failed
 * call throws, so the activity retries rather than guess.
 */
async function holderAbandoned(workflowId: string): Promise<boolean> {
  let client: Client;
  try {
    client = Context.current().client;
  } catch {
    return false;
  }
  try {
    const { status } = await client.workflow.getHandle(workflowId).describe();
    return ABANDONED.has(status.name);
  } catch (err) {
    // Gone from Temporal (past retention, or a history wiped): nothing is running it.
    if (err instanceof WorkflowNotFoundError) return true;
    throw err;
  }
}

/** The zero report's activities: each idempotent (an outbox key per night and person, and per cell or department where a person gets one for each; rows overwritten). */
export function createZeroReportActivities(deps: ActivityDeps) {
  const store = { ddb: deps.ddb, tables: deps.tables };

  async function directory(): Promise<Directory> {
    const dir = await loadDirectory(deps.ddb, deps.tables);
    if (!dir) throw ApplicationFailure.nonRetryable('no campus directory is loaded', 'ZeroReportNoDirectory');
    return dir;
  }

  const boardUrl = (night: string) => `${deps.publicBaseUrl}/zero-report/${night}`;
  const scope = (night: string) => `ZERO#${night}`;

  async function send(night: string, key: string, p: Person, render: () => Promise<ZeroMail>): Promise<void> {
    await sendOnce(deps, { scope: scope(night), key: `${key}#${p.id}` }, async () => ({
      to: p.email,
      ...(await render()),
    }));
  }

  const closeText = (iso: string, tz: string) =>
    new Intl.DateTimeFormat('zh-CN', {
      timeZone: tz,
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }).format(new Date(iso));

  /** Claims the night for this run, stores its cells and asks every grid member for their cell's report, with a one-click "none". */
  async function openZeroNight(input: OpenNightInput): Promise<OpenNightResult> {
    const dir = await directory();
    const cells = gridCells(dir);
    const night: StoredNight = {
      night: input.night,
      workflowId: input.workflowId,
      openedAt: new Date().toISOString(),
      closeAt: input.closeAt,
      acceptUntil: input.acceptUntil,
      cells,
    };
    let { heldBy } = await claimNight(store, night);
    // The holder was terminated or failed: without a run to take them, nobody could report that
    // night. A run that took it over holds it from then on (claimNight on a retry of this activity).
    if (
      heldBy !== input.workflowId &&
      (await holderAbandoned(heldBy)) &&
      (await takeOverNight(store, night, heldBy))
    ) {
      Context.current().log.info('zero-report night taken over from a run that closed', {
        night: input.night,
        from: heldBy,
      });
      heldBy = input.workflowId;
    }
    if (heldBy !== input.workflowId) return { cells: [], workingGroupIds: [], asked: 0, heldBy };
    const onRecord = (await loadNight(store, input.night))?.reports ?? [];
    let asked = 0;
    for (const cell of cells) {
      for (const id of cell.memberIds) {
        const p = dir.people.find((x) => x.id === id);
        if (!p) continue;
        await send(input.night, `ask#${cell.cellId}`, p, async () => {
          const { token } = await issueLink(
            { ddb: deps.ddb, tables: deps.tables, keys: deps.signingKeys },
            {
              caseId: zeroLinkCaseId(input.night, cell.cellId),
              step: ZERO_REPORT_STEP,
              round: 0,
              recipientId: p.id,
              action: 'none',
              expiresAt: input.acceptUntil,
            },
          );
          return askMail(p.language, {
            night: input.night,
            cell,
            name: p.name,
            noneUrl: `${deps.publicBaseUrl}/actions/${token}`,
            reportUrl: `${boardUrl(input.night)}/report`,
            boardUrl: boardUrl(input.night),
            closeText: closeText(input.closeAt, input.timeZone),
          });
        });
        asked++;
        Context.current().heartbeat(asked);
      }
    }
    return {
      cells,
      workingGroupIds: [...dir.campus.workingGroupIds],
      asked,
      ...(onRecord.length > 0 ? { onRecord } : {}),
    };
  }

  async function recordZeroReport(report: ZeroReport): Promise<void> {
    // A write the store refuses for good fails at once: the reporter waits on this update.
    await failingPermanently(() => saveReport(store, report));
    if (report.afterClose) await tellOfLateReport(report);
  }

  /**
   * A report taken after the close goes to those the close told about the night without it: the
   * counsellors of the departments living in the cell's rooms, and whoever heard the cell was
   * silent. Once per report (its time is in the key), so a retried write mails nobody twice.
   */
  async function tellOfLateReport(report: ZeroReport): Promise<void> {
    const night = await loadNight(store, report.night);
    const cell = night?.night.cells.find((c) => c.cellId === report.cellId);
    if (!night || !cell) return;
    const dir = await directory();
    const at = report.at;
    const tell = async (p: Person | undefined, key: string, render: (p: Person) => ZeroMail) => {
      if (!p) return;
      try {
        await send(report.night, `late#${report.cellId}#${at}#${key}`, p, async () => render(p));
      } catch (err) {
        // The report is stored; a refused mail must not make the night take it back.
        setAsideIfRefused(err, `[zero-report] the late report notice to ${p.id} was refused`);
      }
    };
    const person = (id: string) => dir.people.find((x) => x.id === id);
    for (const { d, deptRooms } of departmentsLivingIn(dir, cell.rooms)) {
      const late = report.late.filter((e) => deptRooms.has(e.room));
      const absent = report.absent.filter((e) => deptRooms.has(e.room));
      for (const id of d.contactIds)
        await tell(person(id), `dept#${d.id}`, (p) =>
          lateReportMail(p.language, {
            night: report.night,
            cell,
            name: p.name,
            department: d.name,
            late,
            absent,
            boardUrl: boardUrl(report.night),
          }),
        );
    }
    const escalated = new Set(
      night.escalations.filter((e) => e.cellId === report.cellId).flatMap((e) => e.toIds),
    );
    for (const id of escalated)
      await tell(person(id), 'esc', (p) =>
        lateReportMail(p.language, {
          night: report.night,
          cell,
          name: p.name,
          late: report.late,
          absent: report.absent,
          boardUrl: boardUrl(report.night),
        }),
      );
  }

  /**
   * Records each escalation of a cell that did not report by the close (the board shows each
   * cell's), then sends each person one mail listing every cell they hear about: a building's
   * level 1 hears of each silent floor and cluster, and six mails for one night is noise. One
   * outbox key per person and night, so a retry sends nobody a second one.
   */
  async function escalateZeroReports(input: {
    night: string;
    at: string;
    cells: ZeroCell[];
    escalations: ZeroEscalation[];
  }): Promise<number> {
    const dir = await directory();
    const name = (id: string) => dir.people.find((p) => p.id === id)?.name ?? id;
    const heard = new Map<string, ZeroCell[]>();
    for (const e of input.escalations) {
      const cell = input.cells.find((c) => c.cellId === e.cellId);
      if (!cell) continue;
      await saveEscalation(store, input.night, { ...e, at: input.at });
      for (const id of e.toIds) {
        const cells = heard.get(id) ?? [];
        if (!cells.includes(cell)) cells.push(cell);
        heard.set(id, cells);
      }
    }
    let sent = 0;
    for (const [id, cells] of heard) {
      const p = dir.people.find((x) => x.id === id);
      if (!p) continue;
      await send(input.night, 'esc', p, async () =>
        escalationMail(p.language, {
          night: input.night,
          cells: cells.map((cell) => ({ cell, memberNames: cell.memberIds.map(name).join('、') })),
          name: p.name,
          boardUrl: boardUrl(input.night),
        }),
      );
      sent++;
    }
    return sent;
  }

  /**
   * Level 1 sends each building's summary to the counsellors of the departments
   * living there (seed 001 五(二)2): the returns in the department's rooms, and
   * which cells did not report.
   */
  async function sendZeroSummaries(input: {
    night: string;
    at: string;
    cells: ZeroCell[];
    reports: ZeroReport[];
  }): Promise<number> {
    const dir = await directory();
    let sent = 0;
    for (const b of dir.buildings) {
      const cells = input.cells.filter((c) => c.buildingId === b.id);
      const reports = input.reports.filter((r) => cells.some((c) => c.cellId === r.cellId));
      const missing = cells.filter((c) => !reports.some((r) => r.cellId === c.cellId));
      for (const { d, deptRooms } of departmentsLivingIn(
        dir,
        cells.flatMap((c) => c.rooms),
      )) {
        const pick = (k: 'late' | 'absent') => {
          const seen = new Set<string>();
          return reports
            .flatMap((r) => r[k])
            .filter((e) => deptRooms.has(e.room))
            .filter((e) => {
              const key = `${e.room}#${e.name ?? ''}`;
              if (seen.has(key)) return false;
              seen.add(key);
              return true;
            });
        };
        const late = pick('late');
        const absent = pick('absent');
        const toIds = d.contactIds.filter((id) => dir.people.some((p) => p.id === id));
        for (const id of toIds) {
          const p = dir.people.find((x) => x.id === id);
          if (!p) continue;
          await send(input.night, `summary#${b.id}#${d.id}`, p, async () =>
            summaryMail(p.language, {
              night: input.night,
              building: b.name,
              department: d.name,
              name: p.name,
              late,
              absent,
              missing,
              reports,
              boardUrl: boardUrl(input.night),
            }),
          );
          sent++;
        }
        await saveSummary(store, input.night, { buildingId: b.id, departmentId: d.id, toIds, at: input.at });
      }
    }
    return sent;
  }

  return { openZeroNight, recordZeroReport, escalateZeroReports, sendZeroSummaries };
}

export type ZeroReportActivities = ReturnType<typeof createZeroReportActivities>;
