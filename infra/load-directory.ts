import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DirectoryFileError, readDirectoryFile, saveDirectory } from '../store/directory.ts';
import { ConfigError, parseEnv } from './config.ts';
import { buildDeps } from './deps.ts';

/**
 * Loads a campus directory file into a deployed stage's directory table:
 * `TABLE_DIRECTORY=<directoryTable output> npx tsx infra/load-directory.ts campus.json`.
 * The file is validated first; on any problem nothing is written.
 */
export async function loadDirectoryFile(
  file: string,
  source: Record<string, string | undefined> = process.env,
): Promise<{
  table: string;
  people: number;
  buildings: number;
  departments: number;
  version: number;
  removedPeople: string[];
}> {
  // The default table name is the local stack's: writing a deployment's directory must name its table.
  if (!source.TABLE_DIRECTORY)
    throw new ConfigError(
      'Invalid configuration:\n  TABLE_DIRECTORY: required (the directoryTable output of sst deploy)',
    );
  const env = parseEnv(source);
  const dir = await readDirectoryFile(file);
  const deps = buildDeps(env);
  let snapshot;
  try {
    // The file is the whole directory: whoever it no longer lists is removed, and loses access.
    snapshot = await saveDirectory(deps.aws.ddb, deps.aws.tables, dir);
  } finally {
    await deps.close();
  }
  return {
    table: env.TABLE_DIRECTORY,
    version: snapshot.version,
    removedPeople: snapshot.removedPeople,
    people: dir.people.length,
    buildings: dir.buildings.length,
    departments: dir.departments.length,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: npx tsx infra/load-directory.ts <campus.json>\n');
    process.exit(2);
  }
  loadDirectoryFile(path.resolve(file)).then(
    (r) =>
      process.stdout.write(
        `loaded ${r.people} people, ${r.buildings} buildings, ${r.departments} departments into ${r.table}` +
          ` as snapshot ${r.version}` +
          (r.removedPeople.length > 0 ? `; removed: ${r.removedPeople.join(', ')}` : '') +
          '\n',
      ),
    (err: unknown) => {
      process.stderr.write(
        `${err instanceof ConfigError || err instanceof DirectoryFileError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exit(1);
    },
  );
}
