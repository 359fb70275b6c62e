// The registry of connected players: a client that leaves during the deferrals never gets a
// playerDropped (it only ever had a temp id), so its entry is forgotten after a while instead of kept forever.
import { describe, expect, it } from 'vitest';
import { createPlayerRegistry } from '../../src/fivem/players';

describe('player registry', () => {
  it('forgets connections that never joined, and only those', () => {
    const players = createPlayerRegistry();
    players.add(65536, 'Left during deferrals', ['license:a'], false, 1_000);
    players.add(65537, 'Still in the queue', ['license:b'], false, 5_000);
    players.add(1, 'Playing', ['license:c'], true, 1_000);
    players.forgetUnjoined(2_000);
    expect([...players.all()].map((p) => p.name)).toEqual(['Still in the queue', 'Playing']);
  });

  it('a forgotten connection that joins after all is not found by its temp id (tracking registers it afresh)', () => {
    const players = createPlayerRegistry();
    players.add(65536, 'Slow loader', ['license:a'], false, 1_000);
    players.forgetUnjoined(2_000);
    expect(players.join(65536, 3)).toBeUndefined();
  });
});
