import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleWorkflows } from './worker.ts';

/** Where `npm run build:workflows` writes the bundle (the worker image sets WORKFLOW_BUNDLE_PATH to it). */
export const defaultBundlePath = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'dist',
  'workflow-bundle.js',
);

/**
 * Bundles the workflow code once, at build time, so production workers start
 * from the file (`workflowBundle: { codePath }`) instead of running webpack at
 * every start. Returns the path and the bundle's size in bytes.
 */
export async function buildWorkflowBundle(
  outFile = defaultBundlePath,
): Promise<{ path: string; bytes: number }> {
  const { code } = await bundleWorkflows();
  await mkdir(path.dirname(outFile), { recursive: true });
  await writeFile(outFile, code);
  return { path: outFile, bytes: Buffer.byteLength(code) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  buildWorkflowBundle(process.argv[2] ? path.resolve(process.argv[2]) : undefined)
    .then(({ path: out, bytes }) =>
      process.stdout.write(
        `workflow bundle: ${path.relative(process.cwd(), out) || out} (${(bytes / 1e6).toFixed(1)} MB)\n`,
      ),
    )
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    });
}
