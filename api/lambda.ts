import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { depsFromEnvironment } from '../infra/deps.ts';
import { createApp } from './app.ts';

type AppHandler = ReturnType<typeof handle>;

// Built on the first request of each cold start and kept while the instance is warm;
// a failed build (Temporal unreachable, say) is retried by the next request.
let app: Promise<AppHandler> | undefined;

// Without a configured PUBLIC_BASE_URL, the address this request came in at (the function URL).
const baseUrlOf = (event: LambdaEvent): string | undefined => {
  const host = 'domainName' in event.requestContext ? event.requestContext.domainName : event.headers?.host;
  return host ? `https://${host}` : undefined;
};

/** The AWS Lambda entry: the same Hono app as `npm start`, through Hono's Lambda adapter. */
export async function handler(event: LambdaEvent, context?: LambdaContext) {
  app ??= Promise.resolve()
    .then(() => depsFromEnvironment(process.env, baseUrlOf(event)).appDeps())
    .then((deps) => handle(createApp(deps)));
  const ready = app.catch((err: unknown) => {
    app = undefined;
    throw err;
  });
  return (await ready)(event, context);
}
