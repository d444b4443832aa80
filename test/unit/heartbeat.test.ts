import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { whileAlive } from '../../activities/heartbeat.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// The failing activity below is expected to fail: its log line would only be noise.
const quiet = { logger: new DefaultLogger('ERROR') };

// A case mail's activity has a heartbeat timeout: it must heartbeat for as long as it runs,
// also while one call (a slow relay) takes longer than the timeout, and stop once it ends.
describe('whileAlive', () => {
  it('heartbeats at once and then every interval while the work runs, and not after', async () => {
    const env = new MockActivityEnvironment(undefined, quiet);
    let beats = 0;
    env.on('heartbeat', () => (beats += 1));
    const result = await env.run(() => whileAlive(40, () => sleep(300).then(() => 'done')));
    expect(result).toBe('done');
    // One at the start, then one per 40 ms of the 300 ms (timers on a busy machine run late).
    expect(beats).toBeGreaterThanOrEqual(4);
    const after = beats;
    await sleep(200);
    expect(beats).toBe(after);
  });

  it('passes a failure through and stops heartbeating', async () => {
    const env = new MockActivityEnvironment(undefined, quiet);
    let beats = 0;
    env.on('heartbeat', () => (beats += 1));
    await expect(
      env.run(() => whileAlive(20, () => sleep(60).then(() => Promise.reject(new Error('relay gone'))))),
    ).rejects.toThrow('relay gone');
    const after = beats;
    await sleep(100);
    expect(beats).toBe(after);
  });

  it('outside an activity just runs the work', async () => {
    expect(await whileAlive(10, () => Promise.resolve(7))).toBe(7);
  });
});
