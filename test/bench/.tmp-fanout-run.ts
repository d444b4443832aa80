import { startEphemeralStack } from '/work/main/infra/local/ephemeral.ts';
import { benchFeedbackFanout } from '/work/main/test/bench/feedback-fanout.ts';
const { stack, stop } = await startEphemeralStack('fanout-try');
try {
  const r = await benchFeedbackFanout(stack, { staff: Number(process.env.N ?? 300), ratePerSecond: Number(process.env.RATE ?? 100), progress: (l) => console.error(l) });
  console.log(JSON.stringify(r));
} finally { await stop(); }
