import { WorkflowNotFoundError } from '@temporalio/client';
import { getDigest, markHandled, recordAck, type StoredDigest } from '../store/digests.ts';
import {
  linePlace,
  parseDigestId,
  withPlaceNames,
  type DepartmentDigest,
  type FollowUpItem,
  type StaffDigest,
} from '../domain/digest.ts';
import { countsText } from '../domain/digest-email.ts';
import type { Bilingual } from '../domain/text.ts';
import { caseTitleIn } from '../domain/case-title.ts';
import type { LinkClaims } from '../domain/link-token.ts';
import { followUpHandledSignal } from '../workflows/weekly-feedback/messages.ts';
import type { ActionHandler, AppDeps } from './deps.ts';
import { formatTime } from './pages/ui.tsx';
import { enCount } from '../domain/english-count.ts';
import { directoryOrFail, readCase } from './reads.ts';

/** "编号 标题（地点）" / "id title (place)": a case line of a page in each language. */
const caseIn = (c: { caseId: string; title: string; place: string; placeName?: Bilingual | undefined }) => ({
  zh: `${c.caseId} ${caseTitleIn(c.title, 'zh')}（${linePlace(c, 'zh-CN')}）`,
  en: `${c.caseId} ${caseTitleIn(c.title, 'en')} (${linePlace(c, 'en')})`,
});

/**
 * The weekly feedback's one-click links, for the action page to dispatch by
 * the token's step: `weekly_ack` (a staff member acknowledges their digest;
 * the token's caseId is the digest id) and `dept_followup` (a department marks
 * one follow-up handled; caseId is the department digest id, action the case).
 * Wire them with `extraActions: feedbackActionHandlers(deps)`.
 */
export function feedbackActionHandlers(deps: AppDeps): Record<string, ActionHandler> {
  const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };

  async function staffDigest(claims: LinkClaims): Promise<StoredDigest<StaffDigest> | null> {
    const id = parseDigestId(claims.caseId);
    if (!id || id.kind !== 'staff' || id.subject !== claims.recipientId) return null;
    const stored = await getDigest<StaffDigest>(store, id.week, 'staff', id.subject);
    // A week stored before places were named reads with today's names.
    return stored && { ...stored, digest: withPlaceNames(stored.digest, await directoryOrFail(deps)) };
  }

  async function departmentItem(claims: LinkClaims) {
    const id = parseDigestId(claims.caseId);
    if (!id || id.kind !== 'department') return null;
    const found = await getDigest<DepartmentDigest>(store, id.week, 'department', id.subject);
    if (!found || !found.digest.contactIds.includes(claims.recipientId)) return null;
    const stored = { ...found, digest: withPlaceNames(found.digest, await directoryOrFail(deps)) };
    const item = stored.digest.items.find((i) => i.caseId === claims.action);
    return item ? { stored, item } : null;
  }

  /** When the item's case was withdrawn after the digest was sent (campus time), else undefined. */
  async function withdrawnSince(item: FollowUpItem): Promise<string | undefined> {
    // A case that cannot be read now is described as the digest had it.
    const view = await readCase(deps, item.caseId)
      .then((r) => r.view)
      .catch(() => null);
    if (view?.stage !== 'withdrawn') return undefined;
    const at = view.withdrawal?.at ?? view.closedAt;
    return at ? formatTime(at, deps.env.CAMPUS_TZ) : '—';
  }

  const weeklyAck: ActionHandler = {
    async describe(claims) {
      const found = await staffDigest(claims);
      if (!found) return null;
      const d = found.digest;
      // Each language whole in its half: the page shows its reader's first and the other beneath.
      const counts = countsText(d.counts);
      const cases = d.cases.map(caseIn);
      return {
        title: { zh: `确认 ${d.week} 周整改反馈`, en: `Acknowledge your feedback for week ${d.week}` },
        summary: {
          zh: [counts.zh, ...cases.map((c) => c.zh)].join('\n'),
          en: [counts.en, ...cases.map((c) => c.en)].join('\n'),
        },
        statement: weeklyAckStatement(d.week, d.cases.length),
      };
    },
    async perform(claims, evidence) {
      const found = await staffDigest(claims);
      if (!found) return { message: { zh: '该周报已不存在。', en: 'This digest no longer exists.' } };
      const first = await recordAck(store, found.digest.week, {
        personId: found.digest.personId,
        at: evidence.at,
        via: 'link',
        textHash: evidence.textHash,
        ip: evidence.ip,
        userAgent: evidence.userAgent,
      });
      return first
        ? {
            message: {
              zh: `已确认 ${found.digest.week} 周反馈，谢谢。`,
              en: `Week ${found.digest.week} acknowledged. Thank you.`,
            },
          }
        : { message: { zh: '此前已确认过本周反馈。', en: 'You had already acknowledged this week.' } };
    },
  };

  const deptFollowUp: ActionHandler = {
    async describe(claims) {
      const found = await departmentItem(claims);
      if (!found) return null;
      const { item, stored } = found;
      const line = caseIn(item);
      const withdrawn = await withdrawnSince(item);
      const name = stored.digest.name;
      return {
        title: { zh: `院系跟进：${item.caseId}`, en: `Department follow-up: ${item.caseId}` },
        summary: withdrawn
          ? {
              zh: `${line.zh}\n该案件已于 ${withdrawn} 撤销，无需跟进；确认后此项不再提醒。`,
              en: `${line.en}\nThis case was withdrawn on ${withdrawn}: there is nothing to follow up. Confirm to stop the reminders of it.`,
            }
          : { zh: `${line.zh}\n${item.ask.zh}`, en: `${line.en}\n${item.ask.en}` },
        statement: withdrawn
          ? {
              zh: `${name.zh}知悉案件 ${item.caseId} 已撤销，无需跟进。`,
              en: `${name.en} notes that case ${item.caseId} was withdrawn and needs no follow-up.`,
            }
          : {
              zh: `${name.zh}已就案件 ${item.caseId}（${caseTitleIn(item.title, 'zh')}）跟进相关学生，处理完毕。`,
              en: `${name.en} has followed up with the students concerned in case ${item.caseId} (${caseTitleIn(item.title, 'en')}) and handled it.`,
            },
        note: {
          label: withdrawn
            ? { zh: '备注（选填）', en: 'Note (optional)' }
            : { zh: '跟进情况（选填）：做了什么', en: 'What was done (optional)' },
        },
      };
    },
    async perform(claims, evidence) {
      const found = await departmentItem(claims);
      if (!found) return { message: { zh: '该跟进事项已不存在。', en: 'This follow-up no longer exists.' } };
      const { stored, item } = found;
      const first = await markHandled(store, stored.digest.week, {
        departmentId: stored.digest.departmentId,
        caseId: item.caseId,
        by: claims.recipientId,
        at: evidence.at,
        textHash: evidence.textHash,
        note: evidence.note?.trim() || undefined,
      });
      // Wake the weekly run so it can finish as soon as every follow-up is handled;
      // it re-reads the store on its own schedule anyway, so a finished run is fine.
      await deps.temporal.workflow
        .getHandle(stored.workflowId)
        .signal(followUpHandledSignal)
        .catch((err: unknown) => {
          if (!(err instanceof WorkflowNotFoundError))
            console.warn('[feedback] could not wake the weekly run', err);
        });
      return first
        ? {
            message: {
              zh: `已将 ${item.caseId} 标记为已处理，谢谢。`,
              en: `${item.caseId} marked handled. Thank you.`,
            },
          }
        : {
            message: {
              zh: `${item.caseId} 此前已标记为已处理。`,
              en: `${item.caseId} was already marked handled.`,
            },
          };
    },
  };

  return { weekly_ack: weeklyAck, dept_followup: deptFollowUp };
}

/** What a staff member signs for their week: the count agreeing in English ("1 case", "3 cases"). */
export const weeklyAckStatement = (week: string, cases: number): Bilingual => ({
  zh: `本人已阅读 ${week} 周的整改反馈（共 ${cases} 件案件），知悉其中指出的问题并将改进。`,
  en: `I have read my rectification feedback for week ${week} (${enCount(cases, 'case')}), understand the problems it points out, and will improve.`,
});
