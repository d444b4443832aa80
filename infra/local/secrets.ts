import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Local-only secrets, generated once per data folder so links and tokens survive restarts. */
export interface LocalSecrets {
  linkSigningKeys: { current: string; keys: Record<string, string> };
  jwtSecret: string;
}

export function localSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
  const secrets: LocalSecrets = {
    linkSigningKeys: { current: 'local-1', keys: { 'local-1': randomBytes(32).toString('base64url') } },
    jwtSecret: randomBytes(32).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx' fails if another process (npm start beside npm run token) wrote it first: then theirs wins.
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
  }
  return secrets;
}
