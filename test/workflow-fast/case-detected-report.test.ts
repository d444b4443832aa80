import { describe, expect, it } from 'vitest';
import type { CaseInput } from '../../domain/case-model.ts';
import { textSha256 } from '../../domain/text-sha256.ts';
import { openedUpdate, withdrawUpdate } from '../../workflows/rectification-case/messages.ts';
import { rectificationCase } from '../../workflows/rectification-case/workflow.ts';
import { saveHistory } from '../support/case-harness.ts';
import { caseInput, eventually, people, useFastStack } from './harness.ts';

// A case's first audit entry vouches for the problem as it was reported: its title, its
// description (by SHA-256: the text is the record's) and the photos the description cites.
const stack = useFastStack();

const photoA = `evidence:ev_${'A'.repeat(16)}#sha256=${'ab'.repeat(32)}`;
const photoB = `evidence:ev_${'B'.repeat(16)}#sha256=${'cd'.repeat(32)}`;

function withPhotos(): CaseInput {
  const input = caseInput();
  input.description = `A101 卫生间水龙头持续漏水\n照片 / Photos: ${photoA} ${photoB}`;
  return input;
}

const markers = async (handle: { fetchHistory(): Promise<{ events?: unknown[] | null }> }) =>
  ((await handle.fetchHistory()).events ?? [])
    .map(
      (e) => (e as { markerRecordedEventAttributes?: { markerName?: string } }).markerRecordedEventAttributes,
    )
    .flatMap((m) => (m?.markerName ? [m.markerName] : []));

const detectedPayload = (caseId: string) =>
  stack.of(caseId).steps.find((s) => s.action === 'detected')?.payload;

describe.concurrent('the detected entry', () => {
  it('of a case the API opens carries the title, the description’s hash and its photos, with no marker', async () => {
    const input = withPhotos();
    const { handle, view } = await stack.start(input);
    await eventually(() =>
      expect(detectedPayload(view.caseId)).toMatchObject({
        source: 'repair',
        severity: 'routine',
        assigneeId: people.assignee.id,
        title: input.title,
        descriptionSha256: textSha256(input.description),
        evidence: [photoA, photoB],
      }),
    );
    // Not the text itself: the history holds it once already, in the case's input.
    expect(detectedPayload(view.caseId)).not.toHaveProperty('description');
    // rectificationCaseV2 takes the change by its type: no marker.
    expect(await markers(handle)).toEqual([]);
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: people.supervisor, reason: '测试结束' }] });
    await stack.until(handle, (v) => v.stage === 'withdrawn');
    await saveHistory(handle, 'detected-report-typed');
  });

  it('of a duty’s or inspection’s case carries them behind its patch', async () => {
    const input = withPhotos();
    const handle = await stack.client.workflow.start(rectificationCase, {
      taskQueue: stack.taskQueue,
      workflowId: input.caseId,
      args: [input],
    });
    await handle.executeUpdate(openedUpdate, { args: [{}] });
    await eventually(() =>
      expect(detectedPayload(input.caseId)).toMatchObject({
        title: input.title,
        descriptionSha256: textSha256(input.description),
        evidence: [photoA, photoB],
      }),
    );
    // transition-effects, pinned-calendar and detected-cites-report.
    expect(await markers(handle)).toEqual(['core_patch', 'core_patch', 'core_patch']);
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: people.supervisor, reason: '测试结束' }] });
    await stack.until(handle, (v) => v.stage === 'withdrawn');
    await saveHistory(handle, 'detected-report-untyped');
  });
});
