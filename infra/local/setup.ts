import { MissingPrerequisite, ensureAllTools } from './tools.ts';

try {
  await ensureAllTools();
  process.stderr.write('[setup] all tools ready\n');
} catch (err) {
  if (err instanceof MissingPrerequisite) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
