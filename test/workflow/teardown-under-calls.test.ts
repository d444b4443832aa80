import { describe, expect, it } from 'vitest';
import { timeSkippingEnv } from '../support/case-harness.ts';
import { uniqueId } from '../support/stack.ts';

// A test that gives up (a stranded attempt, a failed assertion) leaves its calls running. Its
// server then stops under them: each fails with UNAVAILABLE, and the client's retry must not
// fire into the closed connection, where grpc-js throws from a timer and fails the whole run.
describe('closing a time-skipping environment under a running call', () => {
  it('fails the abandoned call to its caller and throws nothing uncaught', async () => {
    const uncaught: unknown[] = [];
    const record = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', record);
    try {
      const env = await timeSkippingEnv();
      // No worker polls this queue: the result is a long poll that only the server's end stops.
      const handle = await env.client.workflow.start('nobodyRunsThis', {
        taskQueue: uniqueId('nobody'),
        workflowId: uniqueId('abandoned'),
      });
      const outcome = handle.result().then(
        () => 'finished',
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      );
      // Let the long poll reach the server before the environment closes under it.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await env.teardown();
      const settled = await Promise.race([
        outcome,
        new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), 15_000)),
      ]);
      expect(settled).not.toBe('still waiting');
      expect(settled).not.toBe('finished');
      // Past the longest retry the client would have scheduled (5 s, jitter 20%).
      await new Promise((resolve) => setTimeout(resolve, 6_500));
      expect(uncaught.map(String)).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
    }
  });
});
