import type { BroadcastState } from '../../../workflows/calendar-broadcast/start.ts';
import { enCount } from '../../../domain/english-count.ts';
import type { Bilingual } from '../../../domain/text.ts';

const count = (n: number) => n.toLocaleString('en-US');

/** The calendar page's line on how far telling the running cases of `version` got. */
export function broadcastText(version: number, state: BroadcastState): Bilingual {
  return state.kind === 'done'
    ? {
        zh: `第 ${version} 版已告知 ${count(state.told)} 件进行中的案件，尚未超时的当前环节时限与工作日时钟已按此版重新计算（已超时的不变）${state.refused ? `（另有 ${count(state.refused)} 件此前已按此版或从下一环节起计算）` : ''}。`,
        en: `Version ${version} reached ${enCount(state.told, 'running case')}: their deadlines not yet passed, and their working-day clocks, were counted again with it; deadlines already passed stay as they were.${state.refused ? ` ${enCount(state.refused, 'other case')} already had it or will take it at ${state.refused === 1 ? 'its' : 'their'} next stage.` : ''}`,
      }
    : state.kind === 'failed' && state.partial
      ? {
          zh: `第 ${version} 版已告知 ${count(state.partial.told)} 件进行中的案件，另有 ${count(state.partial.notTold)} 件未响应，尚未告知：每日校历检查会再试。`,
          en: `Version ${version} reached ${enCount(state.partial.told, 'running case')}; ${enCount(state.partial.notTold, 'case')} did not answer and ${state.partial.notTold === 1 ? 'has' : 'have'} not been told yet: the daily calendar check will try again.`,
        }
      : state.kind === 'running'
        ? {
            zh: `正在把第 ${version} 版告知进行中的案件，几分钟内完成；刷新本页查看结果。`,
            en: `Telling running cases of version ${version}; this takes a few minutes. Reload the page for the result.`,
          }
        : {
            zh: `第 ${version} 版尚未告知进行中的案件${state.kind === 'failed' ? '（上次尝试失败）' : ''}：每日校历检查会自动补上。`,
            en: `Running cases have not been told of version ${version} yet${state.kind === 'failed' ? ' (the last attempt failed)' : ''}: the daily calendar check will do it.`,
          };
}
