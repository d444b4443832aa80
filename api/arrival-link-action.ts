import { isTerminal, type Actor } from '../domain/case-model.ts';
import { withSupervision } from '../domain/directory.ts';
import type { LinkClaims } from '../domain/link-token.ts';
import { arrivedUpdate } from '../workflows/rectification-case/messages.ts';
import type { ActionHandler, AppDeps } from './deps.ts';
import { directoryOrFail, readCase } from './reads.ts';

/**
 * The technician's "arrived" link (seed 000: "维修人员要填妥到场时间"), sent with a repair's
 * assignment: the page states the arrival, the POST records it on the case with the link's
 * signature. The running case decides whether it is still open to this person.
 */
export function arrivalActionHandlers(deps: AppDeps): Record<string, ActionHandler> {
  const open = async (claims: LinkClaims) => {
    const { view } = await readCase(deps, claims.caseId);
    if (isTerminal(view.stage) || view.timeline.some((e) => e.action === 'arrived')) return null;
    return view;
  };
  const arrived: ActionHandler = {
    async describe(claims) {
      const view = await open(claims);
      if (!view) return null;
      const place = [view.location.buildingId, view.location.roomId].filter(Boolean).join(' · ');
      return {
        title: { zh: '登记到场', en: 'Record the arrival on site' },
        summary: {
          zh: `${view.caseId} ${view.title} @ ${place}`,
          en: `${view.caseId} ${view.title} @ ${place}`,
        },
        statement: {
          zh: `本人（${claims.recipientId}）确认现已到达案件 ${view.caseId}「${view.title}」的现场（${place}）。`,
          en: `I (${claims.recipientId}) confirm that I am now on site for case ${view.caseId} "${view.title}" (${place}).`,
        },
      };
    },
    async perform(claims, evidence) {
      const dir = await directoryOrFail(deps);
      const person = dir.people.find((p) => p.id === claims.recipientId);
      const actor: Actor = withSupervision(dir, {
        id: claims.recipientId,
        roles: person?.roles ?? [],
        via: 'link' as const,
      });
      await deps.temporal.workflow.getHandle(claims.caseId).executeUpdate(arrivedUpdate, {
        args: [
          {
            actor,
            signature: {
              tokenId: claims.tid,
              ip: evidence.ip,
              userAgent: evidence.userAgent,
              textHash: evidence.textHash,
            },
          },
        ],
      });
      return { message: { zh: `已登记到场：${claims.caseId}`, en: `Arrival recorded: ${claims.caseId}` } };
    },
  };
  return { arrived };
}
