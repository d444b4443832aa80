import { beforeEach, describe, expect, it } from 'vitest';
import { addWeeks, reportedWeek } from '../../domain/digest.ts';
import { nextWeeklyBuild, weeklyBuildText } from '../../domain/weekly-build.ts';
import { saveDirectory } from '../../store/directory.ts';
import { createSession } from '../../store/sessions.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { demoDirectory } from '../support/stack.ts';

/**
 * Found by a probe as leadership (lead-huang, en): before the system had built any weekly report,
 * /app/dashboard/weekly answered 404 and listed the eight recent weeks all as "not built yet",
 * though none before the first report ever will be. The bare page now says when the first is
 * built (the schedule's Monday 08:00) and leads to the dashboard's figures so far; the weeks
 * before it read as before the first report. Own tables: no report built in them.
 */

const own = appOnOwnTables('weekly-first');
const { deps, env } = own;

let cookie = '';
beforeEach(async () => {
  await saveDirectory(deps.ddb, deps.tables, await demoDirectory());
  cookie = `rectify_session=${(await createSession(deps, { personId: 'lead-huang', via: 'link' })).id}`;
});

const open = (path: string, lang = 'en') =>
  own.app.request(path, { headers: { cookie, 'accept-language': lang } });

describe('the weekly page before the system built any report', () => {
  it('says when the first report is built and leads to the figures so far, not a 404 of "not built yet"', async () => {
    const now = new Date().toISOString();
    const next = nextWeeklyBuild(now, env.CAMPUS_TZ);
    if (!next) throw new Error('the default schedule is readable');
    const when = weeklyBuildText(next);
    const res = await open('/app/dashboard/weekly');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`data-weekly-missing="${next.week}" data-missing-reason="pending"`);
    expect(html).toContain(`The report of the whole campus for ${next.week} is built ${when.en}.`);
    expect(html).toContain('href="/app/dashboard"');
    expect(html).not.toContain('not built yet');
    // The weeks listed before the first report say so once, as one run (eight lines said the same).
    const newest = reportedWeek(now, env.CAMPUS_TZ);
    const run = `${addWeeks(newest, -7)} – ${newest < next.week ? newest : addWeeks(newest, -1)}`;
    expect(html.match(/data-missing="before_first"/g)).toHaveLength(1);
    expect(html).toContain(
      `>${run}: before the system&#39;s first report (${next.week}, to be built ${when.en}), so none<`,
    );
    expect(html).toContain(`data-week-under-way="${addWeeks(newest, 1)}"`);

    const zh = await (await open('/app/dashboard/weekly', 'zh-CN')).text();
    expect(zh).toContain(`全校 ${next.week} 的周报将于 ${when.zh} 生成。目前为止的数据见仪表盘。`);
    expect(zh).not.toContain('尚未生成');
    expect(zh).toContain(`>${run}：早于系统的第一份周报（${next.week}，将于 ${when.zh} 生成），没有周报<`);

    // A week asked for by name is still a 404, saying why.
    const asked = await open(`/app/dashboard/weekly?week=${addWeeks(newest, -3)}`);
    expect(asked.status).toBe(404);
    expect(await asked.text()).toContain('data-missing-reason="before_first"');
  });
});
