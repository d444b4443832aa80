import { collectHeads, type CollectResult } from '../audit/anchor-job.ts';
import { pruneAnchorHeads, sealAnchor, type SealInput, type SealResult } from '../store/anchors.ts';
import type { AwsDeps } from '../store/clients.ts';
import { heartbeat } from './heartbeat.ts';

// The anchor workflow imports these types from here, beside the activities it proxies.
export type { AnchorFindings, SealInput, SealResult } from '../store/anchors.ts';
export type { CollectResult } from '../audit/anchor-job.ts';

/** The anchor workflow's activities, built over injected clients. Each is idempotent. */
export function createAuditActivities(deps: AwsDeps) {
  return {
    async collectAnchorHeads(input: { anchorId: string }): Promise<CollectResult> {
      return collectHeads(deps, input.anchorId, (done) => heartbeat({ done }));
    },
    async sealAnchor(input: SealInput): Promise<SealResult> {
      return sealAnchor(deps, input);
    },
    async pruneAnchorHeads(input: { keep: number }): Promise<{ pruned: string[] }> {
      return pruneAnchorHeads(deps, input.keep);
    },
  };
}

export type AuditActivities = ReturnType<typeof createAuditActivities>;
