import { setHandler } from '@temporalio/workflow';
import type { Actor } from '../../domain/case-model.ts';
import { dismissEffectUpdate, retryEffectUpdate, type StuckEffectInput } from './messages.ts';
import { refuse, type CaseState } from './state.ts';

/**
 * An admin's hands on a case's stuck effects: retry one (it runs again on its own chain and,
 * failing again, is stuck again under a new id) or dismiss it. Both are recorded on the
 * timeline and answer with the effects still waiting.
 */
export function registerStuckEffects(s: CaseState): void {
  const validate = (u: StuckEffectInput) => {
    if (!isAdmin(u.actor))
      refuse({ kind: 'forbidden', message: 'only admins retry or dismiss a stuck effect' });
    if (!s.view.stuck?.some((e) => e.id === u.effectId))
      refuse({ kind: 'invalid', message: `no stuck effect ${u.effectId} on this case` });
  };
  setHandler(
    retryEffectUpdate,
    async (u) => {
      const retry = s.unstick(u.effectId);
      await s.record(u.actor, 'effect_retried', { effectId: u.effectId });
      if (retry) await retry();
      return { stuck: s.view.stuck ?? [] };
    },
    { validator: validate },
  );
  setHandler(
    dismissEffectUpdate,
    async (u) => {
      s.unstick(u.effectId);
      await s.record(u.actor, 'effect_dismissed', { effectId: u.effectId });
      return { stuck: s.view.stuck ?? [] };
    },
    { validator: validate },
  );
}

const isAdmin = (actor: Actor) => actor.roles.includes('admin');
