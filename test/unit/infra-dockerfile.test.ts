import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultBundlePath } from '../../infra/build-workflow-bundle.ts';
import { projectRoot } from '../../infra/local/paths.ts';
import { WORKER_BASE_IMAGE, nodeImageProblem } from '../../infra/runtimes.ts';

// No Docker daemon here: the image is checked by reading what it is built from.

const lines = async () =>
  (await readFile(path.join(projectRoot, 'Dockerfile'), 'utf8'))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

/** The repository files a module needs at run time, following relative imports. */
async function importGraph(entry: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const visit = async (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(
      /(?:^|\n)\s*(?:import|export)(?!\s+type\b)[^'"]*?from\s+['"](\.[^'"]+)['"]/g,
    ))
      await visit(path.resolve(path.dirname(file), m[1]!));
  };
  await visit(path.join(projectRoot, entry));
  return seen;
}

describe('Dockerfile (the worker image)', () => {
  it('starts from the Node 22 base the deploy names, still supported today, and installs production dependencies only', async () => {
    const l = await lines();
    expect(l[0]).toBe(`FROM ${WORKER_BASE_IMAGE}`);
    expect(WORKER_BASE_IMAGE).toBe('node:22-slim');
    expect(nodeImageProblem(WORKER_BASE_IMAGE, new Date())).toBeUndefined();
    expect(l).toContain('RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force');
  });

  it('keeps tsx, which runs the worker, among the runtime dependencies', async () => {
    const pkg = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(pkg.dependencies.tsx).toBeDefined();
    expect(pkg.dependencies['@temporalio/worker']).toBeDefined();
    expect(pkg.scripts['build:workflows']).toBe('tsx infra/build-workflow-bundle.ts');
  });

  it('builds the workflow bundle into the image and points the worker at it', async () => {
    const l = await lines();
    const build = l.indexOf('RUN npm run build:workflows');
    const env = l.findIndex((x) => x.startsWith('ENV WORKFLOW_BUNDLE_PATH='));
    const cmd = l.findIndex((x) => x.startsWith('CMD '));
    expect(build).toBeGreaterThan(0);
    expect(env).toBeGreaterThan(build);
    expect(cmd).toBeGreaterThan(env);
    // The path the build script writes, relative to the image's working directory.
    const rel = path.relative(projectRoot, defaultBundlePath);
    expect(l[env]).toBe(`ENV WORKFLOW_BUNDLE_PATH=/app/${rel}`);
    expect(l[cmd]).toBe('CMD ["node", "--import", "tsx", "infra/worker-main.ts"]');
  });

  it('copies every source file the worker and the bundle build import, and ignores none of them', async () => {
    const l = await lines();
    const copied = l.filter((x) => x.startsWith('COPY ')).map((x) => x.split(/\s+/)[1]!);
    const ignored = (await readFile(path.join(projectRoot, '.dockerignore'), 'utf8'))
      .split('\n')
      .map((x) => x.trim())
      .filter((x) => x && !x.startsWith('#'));
    const needed = new Set([
      ...(await importGraph('infra/worker-main.ts')),
      ...(await importGraph('infra/build-workflow-bundle.ts')),
      ...(await importGraph('workflows/index.ts')),
    ]);
    expect(needed.size).toBeGreaterThan(10);
    for (const file of needed) {
      expect(existsSync(file), file).toBe(true);
      const top = path.relative(projectRoot, file).split(path.sep)[0]!;
      expect(copied, `${file} is not copied into the image`).toContain(top);
      expect(ignored, `${top} is in .dockerignore`).not.toContain(top);
    }
  });
});

describe('the code stays runnable on Node 20 (development machines and CI)', () => {
  it('keeps package.json engines at Node 20 and up', async () => {
    const pkg = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(pkg.engines.node).toBe('>=20');
  });
});
