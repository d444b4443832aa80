import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/**
 * Whether the request's body fits in `maxSize` bytes, having read no more of it than that: a
 * declared Content-Length is taken at its word (nothing read), a chunked body is counted as it
 * arrives and buffered for the handler to parse. Hono's bodyLimit, asked inside a handler so the
 * handler can first decide which bound applies.
 */
export async function bodyWithin(c: Context, maxSize: number): Promise<boolean> {
  let fits = false;
  await bodyLimit({ maxSize, onError: () => new Response(null, { status: 413 }) })(c, () => {
    fits = true;
    return Promise.resolve();
  });
  return fits;
}
