import { QueryNotRegisteredError, QueryRejectedError, ServiceError } from '@temporalio/client';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { problemOnError } from './problems.ts';

/** An app whose one route fails with the given error, as createApp wires the error handler. */
const failingWith = (err: unknown) => {
  const app = new Hono();
  app.onError(problemOnError);
  app.get('/x', () => {
    throw err;
  });
  return app;
};
const statusOf = async (err: unknown) => {
  const res = await failingWith(err).request('/x');
  return { status: res.status, body: (await res.json()) as { detail: string } };
};
const coded = (code: string | number, message = `connect ${code}`) =>
  Object.assign(new Error(message), { code });

// The crash drill restarts DynamoDB Local and Temporal under a running API: a request that
// meets them down is told to try again (503), never an internal error (500).
describe('a backing service that cannot be reached', () => {
  it('is a 503 whether the SDK, Node or gRPC reports it, also as a cause', async () => {
    for (const err of [
      coded('ECONNREFUSED'),
      coded('ECONNRESET'),
      coded(14, '14 UNAVAILABLE: Connection dropped'),
      Object.assign(new Error('Failed to query workflow'), { cause: coded(14) }),
      Object.assign(new Error('outer'), {
        cause: Object.assign(new Error('mid'), { cause: coded('ETIMEDOUT') }),
      }),
    ]) {
      const { status, body } = await statusOf(err);
      expect(status, String(err)).toBe(503);
      expect(body.detail).toMatch(/稍后重试/);
    }
  });

  // A query Temporal could not answer in time (a case's worker busy): seen as a 500 on the triage
  // merge under load. The reader is told to look, then retry.
  it('is a 503 saying to look and retry when Temporal answers too late or sheds load', async () => {
    for (const err of [
      coded(4, '4 DEADLINE_EXCEEDED: context deadline exceeded'),
      Object.assign(new Error('Failed to query workflow'), { cause: coded(4) }),
      coded(8, '8 RESOURCE_EXHAUSTED: namespace rate limit exceeded'),
    ]) {
      const { status, body } = await statusOf(err);
      expect(status, String(err)).toBe(503);
      expect(body.detail).toMatch(/繁忙.*刷新查看/);
    }
  });

  it('leaves other failures a 500', async () => {
    expect((await statusOf(new Error('something else'))).status).toBe(500);
    expect((await statusOf(coded('ENOENT'))).status).toBe(500);
    expect((await statusOf(coded(13, '13 INTERNAL'))).status).toBe(500);
  });
});

// A case whose workflow exists but cannot answer was told as "not a case" (404) or a bare 500.
describe('a case workflow that cannot answer its query', () => {
  it('is a 503 naming why, as the client reports it', async () => {
    for (const [err, why] of [
      [
        new QueryNotRegisteredError(
          '[TMPRL1100] Nondeterminism error: Activity machine does not handle this event',
          3,
        ),
        /nondeterminism/,
      ],
      [
        new ServiceError('Failed to query Workflow', {
          cause: coded(
            9,
            '9 FAILED_PRECONDITION: Unable to query workflow due to Workflow Task in failed state.',
          ),
        }),
        /工作流任务失败/,
      ],
      [new QueryRejectedError(2), /查询被拒绝/],
    ] as const) {
      const { status, body } = await statusOf(err);
      expect(status, String(err)).toBe(503);
      expect(body.detail).toMatch(/^案件流程暂时无法应答/);
      expect(body.detail).toMatch(why);
    }
  });

  it('leaves a workflow of another kind (no such query) a 404, and another precondition a 500', async () => {
    const notACase = new QueryNotRegisteredError(
      'Workflow did not register a handler for caseView. Registered queries: [__stack_trace]',
      3,
    );
    expect(await statusOf(notACase)).toMatchObject({
      status: 404,
      body: { detail: expect.stringMatching(/不是案件流程/) },
    });
    const other = new ServiceError('Failed', { cause: coded(9, '9 FAILED_PRECONDITION: something else') });
    expect((await statusOf(other)).status).toBe(500);
  });
});
