import { collectHeads, type CollectResult } from '../audit/anchor-job.ts';
import { putAnchorObject } from '../store/anchor-objects.ts';
import {
  pruneAnchorHeads,
  sealAnchor,
  type AnchorBase,
  type SealInput,
  type SealResult,
} from '../store/anchors.ts';
import type { AwsDeps } from '../store/clients.ts';
import { heartbeat } from './heartbeat.ts';
import { previousAnchorRun } from './previous-anchor.ts';

// The anchor workflow imports these types from here, beside the activities it proxies.
export type { AnchorBase, AnchorFindings, SealInput, SealResult } from '../store/anchors.ts';
export type { CollectResult } from '../audit/anchor-job.ts';

/** The anchor workflow's activities, built over injected clients. Each is idempotent. */
export function createAuditActivities(deps: AwsDeps) {
  return {
    async collectAnchorHeads(input: {
      anchorId: string;
      previous?: AnchorBase | null;
    }): Promise<CollectResult> {
      // The Schedule hands a run its predecessor's result; a run started otherwise asks Temporal.
      const previous = input.previous ?? (await previousAnchorRun());
      return collectHeads(deps, input.anchorId, (done) => heartbeat({ done }), previous);
    },
    async sealAnchor(input: SealInput): Promise<SealResult> {
      const sealed = await sealAnchor(deps, input);
      // The write-once copy outside DynamoDB, when the deployment has the bucket. A retry of this
      // activity re-seals nothing (same anchorId) and finds its object already there.
      if (deps.anchorObjects)
        await putAnchorObject(deps.anchorObjects, {
          anchorId: input.anchorId,
          seq: sealed.seq,
          hash: sealed.hash,
          root: sealed.root,
          caseCount: input.caseCount,
          basedOn: input.basedOn,
          at: input.at,
        });
      return sealed;
    },
    async pruneAnchorHeads(input: { keep: number }): Promise<{ pruned: string[] }> {
      return pruneAnchorHeads(deps, input.keep);
    },
  };
}

export type AuditActivities = ReturnType<typeof createAuditActivities>;
