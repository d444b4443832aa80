import { ConfigError } from './config.ts';

/**
 * The deployed entries (the Lambda handler, the worker container, `npm run api`) must be told
 * which mode they run in: the default, local, signs its own bearer tokens with a shared secret
 * and hands out sign-in links, which a deployment forgetting RECTIFY_MODE would silently do.
 * On AWS itself (Lambda, ECS/Fargate) local mode is refused even when asked for.
 */
export function assertDeployedMode(source: Record<string, string | undefined>, entry: string): void {
  const mode = source.RECTIFY_MODE?.trim();
  if (!mode)
    throw new ConfigError(
      `Invalid configuration:\n  RECTIFY_MODE: ${entry} is a deployed entry and must be told its mode: ` +
        'RECTIFY_MODE=production when deployed (RECTIFY_MODE=local only on a machine of your own)',
    );
  const onAws = Boolean(
    source.AWS_LAMBDA_FUNCTION_NAME || source.ECS_CONTAINER_METADATA_URI_V4 || source.AWS_EXECUTION_ENV,
  );
  if (mode === 'local' && onAws)
    throw new ConfigError(
      `Invalid configuration:\n  RECTIFY_MODE: ${entry} runs on AWS and refuses RECTIFY_MODE=local ` +
        '(local bearer tokens and sign-in links); set RECTIFY_MODE=production',
    );
}
