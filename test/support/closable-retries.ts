import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type GrpcRetryOptions } from '@temporalio/client';

/**
 * The client's usual gRPC retries, made safe to close under. The SDK retries a failed call on a
 * timer; when that timer fires after the connection closed, grpc-js throws "Channel has been
 * shut down" from the timer itself: an uncaught exception no caller can catch, which fails the
 * whole test run. A call left running when a test gives up (a stranded attempt's long poll)
 * fails with UNAVAILABLE once its test server stops, and would retry into exactly that.
 *
 * `close()` first stops new retries (a call failing from then on fails to its caller), then
 * waits out every retry already on a timer, after which the connection can close.
 */
export interface ClosableRetries {
  /** For `Connection.connect({ interceptors })`. */
  readonly interceptor: ReturnType<typeof makeGrpcRetryInterceptor>;
  /** No retries from now on; resolves once no retry already scheduled can still fire. */
  close(): Promise<void>;
}

export function closableRetries(base: GrpcRetryOptions = defaultGrpcRetryOptions()): ClosableRetries {
  let closing = false;
  let lastRetryAt = 0;
  const options: GrpcRetryOptions = {
    retryableDecider: (attempt, status) => !closing && base.retryableDecider(attempt, status),
    delayFunction(attempt, status) {
      const delay = base.delayFunction(attempt, status);
      lastRetryAt = Math.max(lastRetryAt, Date.now() + delay);
      return delay;
    },
  };
  return {
    interceptor: makeGrpcRetryInterceptor(options),
    async close() {
      closing = true;
      // A retry fires on its timer and starts its call at once; a little past the last one's
      // due time, every scheduled retry has started on a channel that is still open.
      const wait = lastRetryAt + 50 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    },
  };
}
