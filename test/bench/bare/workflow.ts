import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

/**
 * The baseline the case workflow is measured against: the same six human
 * steps as Temporal updates, each doing one no-op activity, and nothing else.
 */
export const bareStep = defineUpdate<{ stage: string }, [{ step: string; passed?: boolean }]>('bareStep');

const { noop } = proxyActivities<{ noop(step: string): Promise<void> }>({
  startToCloseTimeout: '10 seconds',
});

export async function bareCase(): Promise<string> {
  let stage = 'analysing';
  setHandler(bareStep, async ({ step, passed }) => {
    await noop(step);
    stage =
      step === 'root_cause'
        ? 'signing'
        : step === 'sign_off'
          ? 'rectifying'
          : step === 'rectification'
            ? 'reviewing'
            : passed
              ? 'closed'
              : 'rectifying';
    return { stage };
  });
  await condition(() => stage === 'closed');
  return stage;
}
