import path from 'node:path';
import type { Directory } from '../../domain/directory.ts';
import { loadDirectory, readDirectoryFile } from '../../store/directory.ts';
import type { parseEnv } from '../config.ts';
import { buildDeps } from '../deps.ts';
import { localDynamoEndpoint } from './dynamo-endpoint.ts';
import { projectRoot } from './paths.ts';

/**
 * The directory the running `npm start` holds (an admin's import included), read from the local
 * DynamoDB; the file `npm start` would load when DynamoDB is not up. `from` says which.
 */
export async function runningDirectory(
  env: ReturnType<typeof parseEnv>,
): Promise<{ dir: Directory; from: string }> {
  const endpoint = env.DYNAMODB_ENDPOINT ?? localDynamoEndpoint();
  // One quick try: when the local stack is down we read the file instead.
  const deps = buildDeps({ ...env, DYNAMODB_ENDPOINT: endpoint }, { awsMaxAttempts: 1 });
  try {
    const dir = await loadDirectory(deps.aws.ddb, deps.aws.tables, true);
    if (dir) return { dir, from: `DynamoDB at ${endpoint}` };
  } catch {
    // Not running, or no tables yet: fall through to the file `npm start` would load.
  } finally {
    await deps.close();
  }
  const file = process.env.RECTIFY_DIRECTORY_FILE || path.join(projectRoot, 'infra/local/demo-campus.json');
  return { dir: await readDirectoryFile(file), from: file };
}
