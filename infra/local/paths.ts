import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where pinned tools live: outside the repo, so a fresh clone on the same machine reuses them. */
export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(base, 'rectify');
}

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the running app keeps its data (Temporal SQLite, DynamoDB files, secrets). */
export function dataDir(): string {
  return path.resolve(process.env.RECTIFY_DATA_DIR || path.join(projectRoot, '.data'));
}
