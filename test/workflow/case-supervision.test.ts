import { describe, expect, it } from 'vitest';
import { withSupervision, type Directory } from '../../domain/directory.ts';
import { reviewUpdate } from '../../workflows/rectification-case/messages.ts';
import {
  actorOf,
  caseInput,
  emailOf,
  mailLog,
  openCaseStack,
  refusalType,
  settle,
  startCase,
  steps,
  useCaseStack,
} from '../support/case-harness.ts';
import { loadDirectory, saveDirectory } from '../../store/directory.ts';
import { viewAfterStep } from '../../api/step-view.ts';

const stack = useCaseStack();

/** The directory after sup-li (building B's supervisor) is also appointed to building A. */
const appointed = (dir: Directory): Directory => ({
  ...dir,
  buildings: dir.buildings.map((b) =>
    b.id === 'bldg-a' ? { ...b, supervisorIds: [...b.supervisorIds, 'sup-li'] } : b,
  ),
});

describe('supervisors as the directory has them now', () => {
  it('a supervisor appointed after the case opened reviews it; before the appointment they may not', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now());
      expect(input.policy.supervisorIds).not.toContain('sup-li');
      const { handle } = await startCase(env, tq, input);
      const s = steps(dir, handle);
      await s.rootCause();
      await s.confirm();
      await s.report();
      const review = (actor: ReturnType<typeof actorOf>) =>
        viewAfterStep(
          handle,
          handle.executeUpdate(reviewUpdate, { args: [{ actor, passed: true, notes: '复查合格' }] }),
        );

      // As the directory stood when the case opened: sup-li supervises building B only.
      expect(await refusalType(() => review(withSupervision(dir, actorOf(dir, 'sup-li'))))).toBe(
        'CaseStepForbidden',
      );
      // Appointed to building A since: the API sends the appointment with the step.
      const v = await review(withSupervision(appointed(dir), actorOf(dir, 'sup-li')));
      expect(v.stage).toBe('closed'); // no reporter to follow up with
      expect(v.timeline.find((e) => e.action === 'review_passed')?.actorId).toBe('sup-li');
    });
  });

  it('asks the supervisors of the directory now to review: one appointed after the case opened gets the mail', async () => {
    // Tables of its own: the appointment is saved, and other files read the shared directory.
    const own = await openCaseStack({ ownTables: true });
    try {
      await own.withWorker(async (tq) => {
        const input = caseInput(own.dir, await own.now());
        const { handle } = await startCase(own.env, tq, input);
        const s = steps(own.dir, handle);
        await s.rootCause();
        await s.confirm();
        await saveDirectory(own.deps.ddb, own.deps.tables, appointed(own.dir));
        await loadDirectory(own.deps.ddb, own.deps.tables, true);
        await s.report();
        await settle(handle);
        const asked = (await mailLog(input.caseId)).filter((l) => l.startsWith('待复查 '));
        expect(asked).toContain(`待复查 ${emailOf(own.dir, 'sup-li')}`);
        expect(asked).toContain(`待复查 ${emailOf(own.dir, 'sup-wang')}`);
        expect(input.policy.supervisorIds).not.toContain('sup-li');
      });
    } finally {
      await own.teardown();
    }
  });
});
