import { expect, it } from 'vitest';
import { appendAudit, readChain } from '../../activities/audit-store.ts';
import { verifyChain } from '../../domain/hash-chain.ts';
import { testDeps, uniqueId } from '../support/stack.ts';

it('baseline', async () => {
  const deps = testDeps();
  const caseId = uniqueId('BASE');
  const t0 = Date.now();
  const N = 200;
  for (let b = 0; b < N; b += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        appendAudit(deps.ddb, deps.tables, { caseId, stepId: `s${b + i}`, at: new Date().toISOString(), actor: { id: 'x' }, action: 'a', payload: { i: b + i } }),
      ),
    );
  }
  console.log('elapsed', Date.now() - t0);
  const chain = await readChain(deps.ddb, deps.tables, caseId);
  expect(verifyChain(chain, caseId)).toMatchObject({ ok: true, count: N });
}, 600_000);
