import { describe, expect, it } from 'vitest';
import { createdCaseSchema } from '../../api/schemas.ts';
import { checkLink, consumeLink, releaseLink, type LinkDeps } from '../../store/links.ts';
import {
  actionPath,
  call,
  formFields,
  newCaseBody,
  outcomeOf,
  postForm,
  useApiStack,
  waitForEmail,
} from './harness.ts';

// A link whose first submission is still under way (a double tap, a second tab) is not "already
// used": its act may yet be refused and the link given back. The second request is told to wait.
const s = useApiStack();

describe('a link in use by another request', () => {
  it('says it is being submitted (409), not used; once given back it signs, once landed it is used', async () => {
    const opened = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
    const { caseId } = createdCaseSchema.parse(await opened.json());
    const rc = await call(s.app, 'POST', `/api/cases/${caseId}/root-cause`, {
      as: 'sup-wang',
      body: { causes: ['阀芯老化'], responsibleId: 'staff-zhou', plan: '更换阀芯' },
    });
    expect(rc.status).toBe(200);
    const mail = await waitForEmail(
      (e) => e.subject.includes(caseId) && e.subject.includes('待签字'),
      30_000,
    );
    const path = actionPath(mail);
    const fields = formFields(await (await s.app.request(path)).text());

    // Another request took the link a moment ago and is waiting on the case.
    const links: LinkDeps = { ddb: s.deps.aws.ddb, tables: s.deps.aws.tables, keys: s.deps.signingKeys };
    const token = path.split('/').at(-1)!;
    const check = await checkLink(links, token);
    expect(check.ok).toBe(true);
    const tid = check.ok ? check.claims.tid : '';
    expect(await consumeLink(links, tid, { at: new Date().toISOString(), textHash: 'x' })).toBe(true);

    const page = await s.app.request(path);
    expect(page.status).toBe(409);
    const shown = await page.text();
    expect(outcomeOf(shown)).toBe('in_use');
    expect(shown).toContain('正在提交');
    const second = await postForm(s.app, path, { ...fields, choice: 'confirm' });
    expect(second.status).toBe(409);
    expect(outcomeOf(await second.text())).toBe('in_use');

    // That request was refused and gave the link back: the second try signs.
    await releaseLink(links, tid);
    const signed = await postForm(s.app, path, { ...fields, choice: 'confirm' });
    expect(outcomeOf(await signed.text())).toBe('done');
    const after = await s.app.request(path);
    expect(after.status).toBe(410);
    expect(outcomeOf(await after.text())).toBe('used');
  });
});
