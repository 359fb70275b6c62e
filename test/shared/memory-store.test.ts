// The memory backend against the shared-store contract (it is the model the MySQL store must match).
import { createMemoryStore, memoryShared, type MemoryShared } from '../../src/core/shared/memory-store';
import { serverClock } from '../../src/fivem/clock';
import { sharedStoreContract } from './store-contract';

const communities = new Map<string, MemoryShared>();
sharedStoreContract('memory', async (community) => {
  if (!communities.has(community)) communities.set(community, memoryShared());
  return createMemoryStore(communities.get(community)!, serverClock);
}, async (community) => {
  const shared = communities.get(community)!;
  shared.lookups.clear();
  shared.lookupsMark = null;
});
