import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChain } from '../../store/audit-chain.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import { ABANDONED_USE_MS, checkLink, consumeLink, issueLink, type LinkDeps } from '../../store/links.ts';
import type { ActionHandler } from '../../api/deps.ts';
import { ProblemError } from '../../api/middleware/problems.ts';
import { createApp } from '../../api/app.ts';
import { caseViewSchema, createdCaseSchema } from '../../api/schemas.ts';
import { signLinkToken, type LinkClaims } from '../../domain/link-token.ts';
import { TEST_SIGNING_KEYS, uniqueId } from '../support/stack.ts';
import {
  actionPath,
  call,
  formFields,
  newCaseBody,
  outcomeOf,
  postForm,
  startApiStack,
  waitForEmail,
  type ApiStack,
} from './harness.ts';

/** A weekly-digest style action, as another module would plug one in: refuses once, then accepts. */
const acknowledged: { claims: LinkClaims; textHash: string }[] = [];
let refuseNext = true;
const weeklyAck: ActionHandler = {
  describe: async (claims) =>
    claims.caseId.startsWith('WEEK-')
      ? {
          title: { zh: '每周反馈确认', en: 'Weekly feedback acknowledgement' },
          summary: { zh: '本周新建 3 件，关闭 2 件', en: '3 opened, 2 closed this week' },
          statement: {
            zh: `本人已阅读 ${claims.caseId} 周报。`,
            en: `I have read the ${claims.caseId} digest.`,
          },
        }
      : null,
  perform: async (claims, evidence) => {
    if (refuseNext) {
      refuseNext = false;
      throw new ProblemError('conflict', { zh: '周报尚未生成', en: 'the digest is not ready yet' });
    }
    acknowledged.push({ claims, textHash: evidence.textHash });
    return { message: { zh: '已确认', en: 'Acknowledged' } };
  },
};

let s: ApiStack;
let links: LinkDeps;
beforeAll(async () => {
  s = await startApiStack({ extraActions: { weekly_ack: weeklyAck } });
  links = { ddb: s.deps.aws.ddb, tables: s.deps.aws.tables, keys: TEST_SIGNING_KEYS };
});
afterAll(async () => {
  await s?.stop();
});

/** A case assigned to staff-zhou waiting for the responsible person's sign-off (his by default), and the link from the email. */
async function caseAwaitingSignOff(
  responsibleId = 'staff-zhou',
): Promise<{ caseId: string; path: string; token: string }> {
  const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
  const { caseId } = createdCaseSchema.parse(await res.json());
  const rc = await call(s.app, 'POST', `/api/cases/${caseId}/root-cause`, {
    as: 'sup-wang',
    body: { causes: ['阀芯老化'], responsibleId, plan: '更换阀芯' },
  });
  expect(rc.status).toBe(200);
  const path = actionPath(
    await waitForEmail((e) => e.subject.includes(caseId) && e.subject.includes('待签字')),
  );
  return { caseId, path, token: path.slice('/actions/'.length) };
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[2] ?? '', 'base64url').toString('utf8')) as LinkClaims;

async function opsRow(pk: string) {
  const out = await s.deps.aws.ddb.send(
    new GetItemCommand({
      TableName: s.deps.aws.tables.ops,
      Key: marshall({ pk, sk: '-' }),
      ConsistentRead: true,
    }),
  );
  return out.Item ? unmarshall(out.Item) : undefined;
}

async function expectPage(path: string, status: number, outcome: string, init?: RequestInit) {
  const res = await s.app.request(path, init);
  const html = await res.text();
  expect({ status: res.status, outcome: outcomeOf(html) }).toEqual({ status, outcome });
  // Every link page, good or bad, keeps the token out of referrers and caches.
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('cache-control')).toBe('no-store');
  return html;
}

describe('GET on an action link', () => {
  it('leaves no trace: audit chain, link row, case record and workflow history unchanged', async () => {
    const { caseId, path, token } = await caseAwaitingSignOff();
    const { tid } = claimsOf(token);
    const snapshot = async () => ({
      chain: (await readChain(s.deps.aws.ddb, s.deps.aws.tables, caseId)).length,
      link: await opsRow(`LINK#${tid}`),
      record: (await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId))?.version,
      history: (await s.deps.temporal.workflow.getHandle(caseId).describe()).historyLength,
    });
    // Let the sign-off request's own effects (email, its audit entry, the workflow task) settle first.
    let before = await snapshot();
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const again = await snapshot();
      if (JSON.stringify(again) === JSON.stringify(before)) break;
      before = again;
    }
    expect(before.link?.status).toBe('active');
    for (let i = 0; i < 3; i++) await expectPage(path, 200, 'ready');
    await expectPage(`${path}?lang=en`, 200, 'ready');
    expect(await snapshot()).toEqual(before);
  });
});

describe('token attacks', () => {
  let signOff: { caseId: string; path: string; token: string };
  beforeAll(async () => {
    signOff = await caseAwaitingSignOff();
  });

  it('malformed tokens get 400', async () => {
    await expectPage('/actions/garbage', 400, 'malformed');
    await expectPage('/actions/v1.k2.abc.def', 400, 'malformed');
  });

  it('a forged signature gets 400', async () => {
    const t = signOff.token;
    const last = t.at(-2) === 'A' ? 'B' : 'A';
    await expectPage(`/actions/${t.slice(0, -2)}${last}${t.slice(-1)}`, 400, 'forged');
  });

  it('a tampered payload (another recipient) gets 400', async () => {
    const [v, kid, payload, sig] = signOff.token.split('.') as [string, string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LinkClaims;
    const tampered = Buffer.from(JSON.stringify({ ...claims, recipientId: 'sup-wang' })).toString(
      'base64url',
    );
    await expectPage(`/actions/${v}.${kid}.${tampered}.${sig}`, 400, 'forged');
  });

  it('a token signed under an unknown key gets 404', async () => {
    const claims = claimsOf(signOff.token);
    const { token } = signLinkToken(
      { ...claims, tid: undefined },
      { current: 'k9', keys: { k9: 'someone-elses-secret-0123456789abcdef' } },
      (n) => new Uint8Array(n).fill(7),
    );
    await expectPage(`/actions/${token}`, 404, 'unknown_key');
  });

  it('an expired link gets 410 on GET and POST', async () => {
    const longAgo = new Date(Date.now() - 10 * 86_400_000);
    const { token } = await issueLink(
      links,
      { caseId: signOff.caseId, step: 'sign_off', round: 99, recipientId: 'staff-zhou', action: 'sign_off' },
      longAgo,
    );
    await expectPage(`/actions/${token}`, 410, 'expired');
    await expectPage(`/actions/${token}`, 410, 'expired', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'choice=confirm',
    });
  });

  it('a form without the page’s CSRF token is refused and does not use up the link', async () => {
    const html = await expectPage(signOff.path, 200, 'ready');
    const { textHash } = formFields(html);
    const forged = await postForm(s.app, signOff.path, { csrf: 'A'.repeat(43), textHash, choice: 'confirm' });
    expect(forged.status).toBe(400);
    expect(outcomeOf(await forged.text())).toBe('stale_form');
    const noCsrf = await postForm(s.app, signOff.path, { choice: 'confirm' });
    expect(noCsrf.status).toBe(400);
    const json = await s.app.request(signOff.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ choice: 'confirm' }),
    });
    expect(json.status).toBe(415);
    expect((await opsRow(`LINK#${claimsOf(signOff.token).tid}`))?.status).toBe('active');
    await expectPage(signOff.path, 200, 'ready');
  });

  it('a link works once: the second POST and any later GET get 410', async () => {
    const html = await expectPage(signOff.path, 200, 'ready');
    const fields = { ...formFields(html), choice: 'confirm' };
    const first = await postForm(s.app, signOff.path, fields);
    expect(first.status).toBe(200);
    const second = await postForm(s.app, signOff.path, fields);
    expect(second.status).toBe(410);
    expect(outcomeOf(await second.text())).toBe('used');
    await expectPage(signOff.path, 410, 'used');
    const row = await opsRow(`LINK#${claimsOf(signOff.token).tid}`);
    expect(row).toMatchObject({ status: 'used', textHash: fields.textHash });
  });

  it('a use taken and never settled (the process died before the act landed) is usable again after a while; a landed one never', async () => {
    const { caseId, path, token } = await caseAwaitingSignOff();
    const html = await expectPage(path, 200, 'ready');
    const fields = { ...formFields(html), choice: 'confirm' };
    const tid = claimsOf(token).tid;
    // As a crash between consuming the link and the sign-off reaching the case leaves it.
    const takenAt = new Date(Date.now() - ABANDONED_USE_MS - 5_000).toISOString();
    expect(await consumeLink(links, tid, { at: takenAt, textHash: fields.textHash })).toBe(true);
    expect((await checkLink(links, token, new Date(Date.parse(takenAt) + 1_000))).ok).toBe(false);
    // Long enough after: the signer's retry goes through, once.
    const retry = await postForm(s.app, path, fields);
    expect(retry.status).toBe(200);
    expect((await getCaseRecord(s.deps.aws.ddb, s.deps.aws.tables, caseId))?.stage).not.toBe(
      'awaiting_signoff',
    );
    expect(await opsRow(`LINK#${tid}`)).toMatchObject({ status: 'used', landed: true });
    const later = new Date(Date.now() + 10 * ABANDONED_USE_MS);
    expect(await checkLink(links, token, later)).toMatchObject({ ok: false, reason: 'used' });
    expect(await consumeLink(links, tid, { at: later.toISOString(), textHash: fields.textHash })).toBe(false);
  });

  it('a newer link (a reminder’s) supersedes the older one', async () => {
    const { caseId, path } = await caseAwaitingSignOff();
    const newer = await issueLink(links, {
      caseId,
      step: 'sign_off',
      round: 1,
      recipientId: 'staff-zhou',
      action: 'sign_off',
    });
    await expectPage(path, 410, 'superseded');
    const html = await expectPage(`/actions/${newer.token}`, 200, 'ready');
    const done = await postForm(s.app, `/actions/${newer.token}`, { ...formFields(html), choice: 'confirm' });
    expect(done.status).toBe(200);
  });

  it('a link to a step that is over says so (409) and signs nothing', async () => {
    const { caseId, path } = await caseAwaitingSignOff();
    const html = await expectPage(path, 200, 'ready');
    const w = await call(s.app, 'POST', `/api/cases/${caseId}/withdraw`, {
      as: 'sup-wang',
      body: { reason: '重复报修' },
    });
    expect(w.status).toBe(200);
    const gone = await expectPage(path, 409, 'not_open');
    // Titled as every link page whose step is not to be taken any more.
    expect(gone).toContain('该步骤已不再需要');
    expect(gone).toContain('This step is no longer needed');
    const post = await postForm(s.app, path, { ...formFields(html), choice: 'confirm' });
    expect(post.status).toBe(409);
    expect((await opsRow(`LINK#${claimsOf(path.slice(9)).tid}`))?.status).toBe('active');
  });

  it('a form whose shown-text hash was altered is refused (400): the CSRF token binds the text', async () => {
    const { path } = await caseAwaitingSignOff();
    const html = await expectPage(path, 200, 'ready');
    const badHash = await postForm(s.app, path, {
      ...formFields(html),
      textHash: 'f'.repeat(64),
      choice: 'confirm',
    });
    expect(badHash.status).toBe(400);
    expect(outcomeOf(await badHash.text())).toBe('stale_form');
  });
});

describe('the way on to the case page, where rectification is reported', () => {
  it('the done page of a sign-off and the assignment and review-failed emails link to the case page', async () => {
    const { caseId, path } = await caseAwaitingSignOff();
    const casePage = `/app/cases/${caseId}`;
    const zhou = (subject: string) =>
      waitForEmail(
        (e) =>
          e.subject.includes(caseId) &&
          e.subject.includes(subject) &&
          e.to.includes('zhou.qiang@demo.edu.cn'),
      );
    expect((await zhou('新案件')).text).toContain(
      `打开案件页面进行原因分析和整改：http://rectify.test${casePage}`,
    );

    const html = await expectPage(path, 200, 'ready');
    const done = await postForm(s.app, path, { ...formFields(html), choice: 'confirm' });
    expect(done.status).toBe(200);
    const page = await done.text();
    expect(outcomeOf(page)).toBe('done');
    // The assignee signed: the rectification is theirs to do.
    expect(page).toContain('请您按方案整改，完成后在案件页面报告整改（附照片）。');
    expect(page).toContain(
      `<a class="button" href="${casePage}" data-next="true">打开案件页面报告整改 / <span lang="en">Open the case page to report the rectification</span></a>`,
    );

    const rect = await call(s.app, 'POST', `/api/cases/${caseId}/rectification`, {
      as: 'staff-zhou',
      body: { summary: '已更换阀芯', evidence: ['photo-1.jpg'] },
    });
    expect(rect.status).toBe(200);
    const review = await call(s.app, 'POST', `/api/cases/${caseId}/review`, {
      as: 'sup-wang',
      body: { passed: false, notes: '仍有渗漏' },
    });
    expect(review.status).toBe(200);
    const failed = await zhou('复查未通过');
    expect(failed.text).toContain(`打开案件页面报告整改：http://rectify.test${casePage}`);
    expect(failed.text).toContain(
      `Open the case page to report the rectification: http://rectify.test${casePage}`,
    );
  });

  it('a responsible person who is not the assignee is told who rectifies next, not asked to do it', async () => {
    const { caseId, path } = await caseAwaitingSignOff('staff-zhao');
    const html = await expectPage(path, 200, 'ready');
    const done = await postForm(s.app, path, { ...formFields(html), choice: 'confirm' });
    expect(done.status).toBe(200);
    const page = await done.text();
    expect(outcomeOf(page)).toBe('done');
    // 赵伟 signed; 周强, the assignee, rectifies.
    expect(page).toContain('接下来由 周强 按方案整改，并在案件页面报告整改');
    expect(page).toContain('周强 carries it out next and reports the rectification on the case page');
    expect(page).not.toContain('请您按方案整改');
    expect(page).not.toContain('Please carry it out');
    expect(page).toContain(
      `<a class="button" href="/app/cases/${caseId}" data-next="true">打开案件页面 / <span lang="en">Open the case page</span></a>`,
    );
  });

  it('a dispute leaves the next step to the supervisor: no case page link on its done page', async () => {
    const { path } = await caseAwaitingSignOff();
    const html = await expectPage(path, 200, 'ready');
    const done = await postForm(s.app, path, {
      ...formFields(html),
      choice: 'dispute',
      reason: '不是我的责任',
    });
    expect(done.status).toBe(200);
    expect(await done.text()).not.toContain('data-next');
  });
});

describe('what a POST records and refuses', () => {
  it('a form body that does not parse (multipart without a boundary) is a 400 page and leaves the link unused', async () => {
    const { path, token } = await caseAwaitingSignOff();
    const html = await expectPage(path, 200, 'ready');
    for (const [type, body] of [
      ['multipart/form-data', new URLSearchParams({ ...formFields(html), choice: 'confirm' }).toString()],
      ['multipart/form-data; boundary=xyz', 'no parts here'],
    ] as const) {
      const res = await s.app.request(path, { method: 'POST', headers: { 'content-type': type }, body });
      const page = await res.text();
      expect({ status: res.status, outcome: outcomeOf(page) }).toEqual({ status: 400, outcome: 'bad_form' });
      expect(page).toContain('表单无法读取');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
    expect((await opsRow(`LINK#${claimsOf(token).tid}`))?.status).toBe('active');
    // Both choices at once (confirm and dispute) are no choice: refused, the link still unused.
    const both = new URLSearchParams(formFields(html));
    both.append('choice', 'confirm');
    both.append('choice', 'dispute');
    both.append('reason', '不同意');
    const twice = await s.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: both.toString(),
    });
    const twicePage = await twice.text();
    expect({ status: twice.status, outcome: outcomeOf(twicePage) }).toEqual({
      status: 400,
      outcome: 'bad_form',
    });
    expect(twicePage).toContain('表单字段重复（choice）');
    expect((await opsRow(`LINK#${claimsOf(token).tid}`))?.status).toBe('active');
  });

  const signedIp = async (caseId: string) => {
    const v = caseViewSchema.parse(
      await (await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'sup-wang' })).json(),
    );
    return v.signOffs[0]?.signature?.ip;
  };

  it('records the address the nearest proxy saw (right-most X-Forwarded-For), not what the client claims', async () => {
    const { caseId, path } = await caseAwaitingSignOff();
    const html = await expectPage(path, 200, 'ready');
    const res = await postForm(
      s.app,
      path,
      { ...formFields(html), choice: 'confirm' },
      // The client wrote the first entry itself; the load balancer appended the last.
      { 'x-forwarded-for': '198.51.100.66, 10.1.2.3, 203.0.113.9' },
    );
    expect(res.status).toBe(200);
    expect(await signedIp(caseId)).toBe('203.0.113.9');
  });

  it('with no proxy configured (TRUSTED_PROXY_HOPS=0) ignores X-Forwarded-For: the socket’s address counts', async () => {
    const direct = createApp({ ...s.deps, env: { ...s.deps.env, TRUSTED_PROXY_HOPS: 0 } });
    const { caseId, path } = await caseAwaitingSignOff();
    const html = await expectPage(path, 200, 'ready');
    const res = await direct.request(
      path,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.66' },
        body: new URLSearchParams({ ...formFields(html), choice: 'confirm' }).toString(),
      },
      // What @hono/node-server passes as the app's env: the connection itself.
      { incoming: { socket: { remoteAddress: '192.0.2.10' } } },
    );
    expect(res.status).toBe(200);
    expect(await signedIp(caseId)).toBe('192.0.2.10');
  });

  it('behind two proxies (TRUSTED_PROXY_HOPS=2) takes the entry the outer one appended', async () => {
    const twoHops = createApp({ ...s.deps, env: { ...s.deps.env, TRUSTED_PROXY_HOPS: 2 } });
    const { caseId, path } = await caseAwaitingSignOff();
    const html = await expectPage(path, 200, 'ready');
    const res = await postForm(
      twoHops,
      path,
      { ...formFields(html), choice: 'confirm' },
      { 'x-forwarded-for': '198.51.100.66, 10.1.2.3, 203.0.113.9' },
    );
    expect(res.status).toBe(200);
    expect(await signedIp(caseId)).toBe('10.1.2.3');
  });

  it('on Lambda, records the source address AWS saw, whatever the headers say', async () => {
    const { caseId, path } = await caseAwaitingSignOff();
    const html = await expectPage(path, 200, 'ready');
    const res = await s.app.request(
      path,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.66' },
        body: new URLSearchParams({ ...formFields(html), choice: 'confirm' }).toString(),
      },
      // What hono/aws-lambda passes as the app's env for a function URL event.
      { requestContext: { http: { sourceIp: '192.0.2.44' } } },
    );
    expect(res.status).toBe(200);
    expect(await signedIp(caseId)).toBe('192.0.2.44');
  });
});

describe('other kinds of link (ActionHandler)', () => {
  it('dispatches by step; a refusal releases the link so the person can try again', async () => {
    const week = `WEEK-2026-W${uniqueId('x')}`;
    const { token } = await issueLink(links, {
      caseId: week,
      step: 'weekly_ack',
      round: 0,
      recipientId: 'staff-lee',
      action: 'acknowledge',
    });
    const path = `/actions/${token}`;
    const html = await expectPage(path, 200, 'ready');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(`I have read the ${week} digest.`);

    const refused = await postForm(s.app, path, formFields(html));
    expect(refused.status).toBe(409);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain('the digest is not ready yet');
    expect((await opsRow(`LINK#${claimsOf(token).tid}`))?.status).toBe('active');

    const ok = await postForm(s.app, path, formFields(html));
    expect(ok.status).toBe(200);
    expect(acknowledged.map((a) => a.claims.caseId)).toEqual([week]);
    expect(acknowledged[0]?.textHash).toBe(formFields(html).textHash);
    await expectPage(path, 410, 'used');
  });

  it('an unknown step is a 404 page', async () => {
    const { token } = await issueLink(links, {
      caseId: 'X-1',
      step: 'no_such_step',
      round: 0,
      recipientId: 'staff-zhou',
      action: 'x',
    });
    await expectPage(`/actions/${token}`, 404, 'unknown_action');
    // A link cut down to nothing ('.' or '' after the path is normalised) still gets a page.
    for (const path of ['/actions/.', '/actions/', '/actions']) {
      const res = await s.app.request(path);
      expect([path, res.status, res.headers.get('content-type')?.includes('text/html')]).toEqual([
        path,
        404,
        true,
      ]);
    }
  });
});
