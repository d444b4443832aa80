import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { ConfigError } from './config.ts';

/**
 * Where a deployed process finds its secrets: this variable holds a JSON map
 * from an environment variable's name to the SSM Parameter Store parameter
 * (SecureString) holding its value, e.g.
 * `{"TEMPORAL_API_KEY":"/rectify/production/TemporalApiKey"}`. The Lambda
 * configuration then carries only parameter names, never a value; ECS does the
 * same for the worker itself (`secrets` with `valueFrom`), so the worker never
 * sees this variable.
 */
export const SECRET_PARAMETERS = 'RECTIFY_SECRET_PARAMETERS';

/** Reads SecureString parameters by name, decrypted: name → value. */
export type ParameterReader = (names: string[]) => Promise<Record<string, string>>;

const referencesSchema = z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string().min(1));

/** GetParameters takes at most ten names a call. */
const BATCH = 10;

/** The SSM reader the Lambda uses: its own region and role (granted exactly these parameters by the deploy). */
export function ssmParameterReader(client = new SSMClient({})): ParameterReader {
  return async (names) => {
    const values: Record<string, string> = {};
    for (let i = 0; i < names.length; i += BATCH) {
      const r = await client.send(
        new GetParametersCommand({ Names: names.slice(i, i + BATCH), WithDecryption: true }),
      );
      for (const p of r.Parameters ?? []) if (p.Name && p.Value !== undefined) values[p.Name] = p.Value;
      if (r.InvalidParameters?.length)
        throw new ConfigError(
          `Invalid configuration:\n  ${SECRET_PARAMETERS}: no such parameter ${r.InvalidParameters.join(', ')} (set its secret and deploy again)`,
        );
    }
    return values;
  };
}

/**
 * The environment with every referenced secret filled in from its parameter.
 * Without the variable (locally, and in the worker) the environment is
 * returned as it is. A variable both set directly and referenced is refused,
 * so nobody wonders which one is in force.
 */
export async function withSecretParameters(
  source: Record<string, string | undefined>,
  read?: ParameterReader,
): Promise<Record<string, string | undefined>> {
  const raw = source[SECRET_PARAMETERS];
  if (!raw) return source;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(
      `Invalid configuration:\n  ${SECRET_PARAMETERS}: must be JSON like {"TEMPORAL_API_KEY":"/rectify/<stage>/TemporalApiKey"}`,
    );
  }
  const refs = referencesSchema.safeParse(parsed);
  if (!refs.success)
    throw new ConfigError(
      `Invalid configuration:\n  ${SECRET_PARAMETERS}: must map environment variable names to parameter names (${refs.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`,
    );
  const both = Object.keys(refs.data).filter((name) => source[name]);
  if (both.length > 0)
    throw new ConfigError(
      `Invalid configuration:\n${both.map((n) => `  ${n}: set directly and as a parameter in ${SECRET_PARAMETERS}; keep one`).join('\n')}`,
    );
  const names = [...new Set(Object.values(refs.data))];
  const values = names.length > 0 ? await (read ?? ssmParameterReader())(names) : {};
  const missing = names.filter((n) => values[n] === undefined);
  if (missing.length > 0)
    throw new ConfigError(
      `Invalid configuration:\n  ${SECRET_PARAMETERS}: no value for ${missing.join(', ')}`,
    );
  const { [SECRET_PARAMETERS]: _references, ...rest } = source;
  return {
    ...rest,
    ...Object.fromEntries(Object.entries(refs.data).map(([name, param]) => [name, values[param]])),
  };
}

let cached: Promise<Record<string, string | undefined>> | undefined;

/**
 * withSecretParameters once per process: a warm Lambda reuses what its cold
 * start fetched; a failed fetch (SSM briefly unreachable) is retried by the
 * next call rather than remembered.
 */
export function secretParametersOnce(
  source: Record<string, string | undefined>,
  read?: ParameterReader,
): Promise<Record<string, string | undefined>> {
  cached ??= withSecretParameters(source, read).catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}
