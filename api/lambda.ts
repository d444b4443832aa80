import { Hono } from 'hono';
import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { ConfigError } from '../infra/config.ts';
import { depsFromEnvironment } from '../infra/deps.ts';
import { assertDeployedMode } from '../infra/deployed-mode.ts';
import { secretParametersOnce } from '../infra/secrets-fetch.ts';
import { createApp } from './app.ts';
import { ProblemError, problemResponse } from './middleware/problems.ts';

type AppHandler = ReturnType<typeof handle>;

// Built on the first request of each cold start and kept while the instance is warm;
// a failed build (Temporal unreachable, say) is retried by the next request.
let app: Promise<AppHandler> | undefined;

// Without a configured PUBLIC_BASE_URL, the address this request came in at (the function URL).
const baseUrlOf = (event: LambdaEvent): string | undefined => {
  const host = 'domainName' in event.requestContext ? event.requestContext.domainName : event.headers?.host;
  return host ? `https://${host}` : undefined;
};

// A start that failed on something outside the function (Temporal, SSM) is the documented 503,
// in problem+json, not the bare 502 Lambda gives for a thrown error; the next request retries.
const unavailable = handle(
  new Hono().all('*', (c) => {
    const res = problemResponse(
      c,
      new ProblemError('unavailable', {
        zh: '服务正在启动，暂时连不上工作流服务（Temporal）或参数存储，请稍后重试。',
        en: 'Starting up: the workflow service (Temporal) or the parameter store did not answer; try again shortly.',
      }),
    );
    res.headers.set('retry-after', '10');
    return res;
  }),
);

/** The AWS Lambda entry: the same Hono app as `npm start`, through Hono's Lambda adapter. */
export async function handler(event: LambdaEvent, context?: LambdaContext) {
  app ??= secretParametersOnce(process.env)
    .then((source) => {
      assertDeployedMode(source, 'api/lambda.ts');
      return source;
    })
    .then((source) => depsFromEnvironment(source, baseUrlOf(event)).appDeps())
    .then((deps) => handle(createApp(deps)));
  const ready = app.catch((err: unknown) => {
    app = undefined;
    throw err;
  });
  let serve: AppHandler;
  try {
    serve = await ready;
  } catch (err) {
    // A configuration mistake stays loud: it needs a deploy, not a retry.
    if (err instanceof ConfigError) throw err;
    console.error('[rectify-api] start failed, answering 503:', err);
    return unavailable(event, context);
  }
  return serve(event, context);
}
