// Records the case workflow's histories for the replay test (test/replay/replay.test.ts).
//
//   npx tsx test/replay/record.ts <label>
//
// runs the case workflow tests (test/workflow/case-*.test.ts) on the time-skipping server
// with RECORD_HISTORIES=<label>; each test saves the history of the path it walks as
// test/replay/histories/<label>/<path>.json (see saveHistory in test/support/case-harness.ts).
//
// A label is written once and never regenerated: an old folder is what proves that a
// changed workflow still replays what older code recorded. Record a new label after a
// change to the workflow (e.g. `v2` after a patched() change) and commit it beside the old.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const label = process.argv[2];
if (!label || !/^[a-z0-9][a-z0-9.-]*$/.test(label)) {
  console.error('usage: npx tsx test/replay/record.ts <label>   (lower-case letters, digits, dots, dashes)');
  process.exit(2);
}
const target = path.join(root, 'test', 'replay', 'histories', label);
if (existsSync(target)) {
  console.error(
    `${path.relative(root, target)} exists: recorded histories are never overwritten; pick a new label`,
  );
  process.exit(2);
}
const files = readdirSync(path.join(root, 'test', 'workflow'))
  .filter((f) => /^case-.*\.test\.ts$/.test(f))
  .map((f) => path.join('test', 'workflow', f));
const run = spawnSync('npx', ['vitest', 'run', '--project', 'stack', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, RECORD_HISTORIES: label },
});
if (run.status !== 0) {
  console.error('the case workflow tests failed: histories not trustworthy, fix the tests first');
  process.exit(run.status ?? 1);
}
const written = existsSync(target) ? readdirSync(target) : [];
console.log(`recorded ${written.length} histories in ${path.relative(root, target)}`);
