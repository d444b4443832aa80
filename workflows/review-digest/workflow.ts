import { proxyActivities, sleep } from '@temporalio/workflow';
import type { ReviewDigestActivities, ReviewDigestInput } from '../../activities/review-digest.ts';

const acts = proxyActivities<ReviewDigestActivities>({
  startToCloseTimeout: '5 minutes',
  // The relay may be down for a while: the digest waits for it rather than being dropped.
  retry: { maximumInterval: '10 minutes', nonRetryableErrorTypes: ['EmailRejected'] },
});

/**
 * A supervisor's review requests gathered in one window (activities/review-digest.ts), sent as
 * one mail when the window ends. Started by the case mail activity of the window's first
 * gathered request; its timer and the outbox key per recipient and window make the digest go
 * once, whatever worker dies on the way.
 */
export async function reviewDigest(input: ReviewDigestInput): Promise<{ listed: number }> {
  const wait = input.endsAt - Date.now();
  if (wait > 0) await sleep(wait);
  return acts.sendReviewDigest(input);
}
