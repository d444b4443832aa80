/**
 * FIXTURE: 2099 is a made-up year, so that no test ever stands in for a real State Council
 * arrangement. Its "Spring Festival" is nine days from Saturday 14 February with two make-up
 * working days around it, the shape such a notice usually has.
 */
export const FIXTURE_CALENDAR_2099 = `# 测试夹具，非真实安排 / test fixture, not a real arrangement
official 2099 测试夹具：虚构的2099年节假日安排（非国务院通知）/ fixture, not a real notice
holiday 2099-02-14..2099-02-22 春节（测试夹具）/ Spring Festival (fixture)
workday 2099-02-08 春节调休上班（测试夹具）
workday 2099-02-28 春节调休上班（测试夹具）
term 2099-03-02..2099-07-03 2098-2099学年第二学期（测试夹具）
`;
