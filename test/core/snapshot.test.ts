// The snapshot file: compact rows with permission words, and a flag list so a file written by a process
// that numbered new flags differently still loads with the right permissions.
import { describe, expect, it } from 'vitest';
import { cachedAccount } from '../../src/core/account-record';
import { hasPermission, maskFromFlags, permissionIndex } from '../../src/core/permissions';
import { unsliced } from '../../src/core/slices';
import { loadSnapshot, saveSnapshot } from '../../src/core/snapshot';
import { captureLog, memoryFiles } from './helpers';

const FILE = 'cache/snapshot.json';

describe('snapshot', () => {
  it('round-trips accounts exactly, in chunks, without a 43-key object per account', async () => {
    const files = memoryFiles();
    const { w0, w1, w2 } = maskFromFlags({ police: true, adminLogs: true });
    const accounts = Array.from({ length: 2500 }, (_, i) => cachedAccount(`u-${i}`, `User${i}`, i % 2 ? `cu${i}` : null, [`id${i}`], i % 5 === 0 ? 4 : 1, '2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', w0, w1, w2, 1_700_000_000_000 + i));
    await saveSnapshot(files, FILE, 'owner-1', accounts, 123, unsliced);
    const text = files.files.get(FILE)!;
    expect(text).not.toContain('"police"'.repeat(2));
    const loaded = loadSnapshot(files, FILE, 'owner-1', captureLog())!;
    expect(loaded.savedAt).toBe(123);
    expect(loaded.accounts).toEqual(accounts);
  });

  it('translates permission bits by name when the writer numbered flags differently', () => {
    const police = permissionIndex('police');
    // A writer whose bit 0 was 'police' and bit 1 a flag this process has never seen.
    const flags = ['police', 'radioAccessFromTheFuture', ...['civilian']];
    const text = JSON.stringify({ format: 2, owner: 'o', savedAt: 1, flags, accounts: [['u', 'U', null, [], 1, '', '', 0b11, 0, 0]] });
    const loaded = loadSnapshot(memoryFiles({ [FILE]: text }), FILE, 'o', captureLog())!;
    const [account] = loaded.accounts;
    expect(hasPermission(account!, police)).toBe(true);
    expect(hasPermission(account!, permissionIndex('civilian'))).toBe(false);
    expect(hasPermission(account!, permissionIndex('radioAccessFromTheFuture'))).toBe(true);
  });
});

describe('snapshot formats', () => {
  it('format 2 files (before observation times) still load, each account observed when the file was saved', () => {
    const text = JSON.stringify({ format: 2, owner: 'o', savedAt: 4242, flags: ['civilian'], accounts: [['U-1', 'U', null, ['x'], 4, '', '', 0, 0, 0]] });
    const loaded = loadSnapshot(memoryFiles({ [FILE]: text }), FILE, 'o', captureLog())!;
    expect(loaded.accounts[0]).toMatchObject({ uuid: 'u-1', status: 4, observedAt: 4242 });
  });
});
