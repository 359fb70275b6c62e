// One connecting player's deferrals, ported from code/components/citizen-server-impl/src/ClientDeferral.cpp:
// a state per resource that called (keyed by its name, in std::map order); nothing is decided before
// the playerConnecting handlers have all run (RanEvents); the player is rejected as soon as one state
// is rejected, admitted when every state is done; calls after that are ignored (m_completed).
// done(): one argument, *any* argument, rejects: a string is the reason, anything else "Unknown error".

export type Outcome = { admit: true } | { admit: false; reason: string };

interface State {
  done: boolean;
  rejected: boolean;
  message: string;
}

export function createDeferral(settle: (outcome: Outcome) => void) {
  const states = new Map<string, State>();
  let ranEvents = false;
  let pending = false;
  let completed = false;

  // m_deferralStates[key] creates a default state for a resource that never called defer().
  const stateOf = (resource: string) => {
    if (!states.has(resource)) states.set(resource, { done: false, rejected: false, message: '' });
    return states.get(resource)!;
  };

  function updateDeferrals() {
    if (!ranEvents) {
      pending = true;
      return;
    }
    let allDone = true;
    for (const [, state] of [...states].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!state.done) allDone = false;
      if (state.rejected) {
        completed = true;
        settle({ admit: false, reason: state.message });
        return;
      }
    }
    if (allDone) {
      completed = true;
      settle({ admit: true });
    }
  }

  return {
    isDeferred: () => states.size > 0,
    isCompleted: () => completed,
    defer(resource: string) {
      if (completed) return;
      states.set(resource, { done: false, rejected: false, message: 'Deferring connection...' });
      updateDeferrals();
    },
    update(resource: string, args: unknown[]) {
      if (completed) return;
      const state = stateOf(resource);
      if (args.length === 1) {
        state.message = String(args[0]);
        updateDeferrals();
      }
    },
    done(resource: string, args: unknown[]) {
      if (completed) return;
      const state = stateOf(resource);
      state.done = true;
      if (args.length === 1) {
        state.message = typeof args[0] === 'string' ? args[0] : 'Unknown error';
        state.rejected = true;
      }
      updateDeferrals();
    },
    /** The playerConnecting handlers have returned (ClientDeferral::RanEvents). */
    ranEvents() {
      ranEvents = true;
      if (pending) {
        updateDeferrals();
        pending = false;
      }
    },
  };
}
