// A TypeScript resource that copies types/sonoran_accounts.d.ts, as the owner README says, and compiles
// against @citizenfx/server with `skipLibCheck: false` and `strict` (issue 24, point 6): the .d.ts
// itself type-checks, exports are typed, and this resource's event handlers get typed parameters (no
// TS7006), while any other event still goes to FiveM's own `on`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../dev/resource-folder';

const dir = mkdtempSync(join(tmpdir(), 'sonoran-consumer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONSUMER = `/// <reference types="@citizenfx/server" />
import type { CadAccount } from './sonoran_accounts';

on('sonoran_accounts:playerUpdated', (id, account, diff) => {
  const player: number = id;
  const name: string | undefined = account?.username;
  console.log(player, name, diff.granted.join(', '), diff.statusAfter);
});
AddEventHandler('sonoran_accounts:playerLinked', (id, account) => console.log(id + 1, account.uuid));
on('sonoran_accounts:refreshed', (summary) => console.log(summary.accounts, summary.changes.length));
on('sonoran_accounts:ready', (info) => console.log(info.ready));
on('sonoran_accounts:refreshFailed', (message) => console.log(message.toUpperCase()));
on('playerConnecting', (name: string) => console.log(name));

const police: boolean = exports.sonoran_accounts.hasPermission(1, 'police');
const any: boolean = exports.sonoran_accounts.hasAnyPermission('1', 'dispatch');
const account: CadAccount | null = exports.sonoran_accounts.getAccount(1);
exports.sonoran_accounts.refresh().then((r) => console.log(r.ok ? r.accounts : r.error));
console.log(police, any, account);
`;

describe('types/sonoran_accounts.d.ts in a consumer resource', () => {
  it('compiles against @citizenfx/server with skipLibCheck false, typing exports and event handlers', () => {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    copyFileSync(join(ROOT, 'types/sonoran_accounts.d.ts'), join(dir, 'sonoran_accounts.d.ts'));
    writeFileSync(join(dir, 'server.ts'), CONSUMER);
    const compilerOptions = { strict: true, skipLibCheck: false, noEmit: true, target: 'ES2020', module: 'commonjs', types: ['@citizenfx/server'] };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['server.ts'] }));
    let output = '';
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    } catch (err) {
      output = String((err as { stdout?: string }).stdout ?? err);
    }
    expect(output).toBe('');
  }, 60_000);
});
