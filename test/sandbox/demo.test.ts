// `npm start` without a terminal runs the scripted demo: this is what CI sees of the sandbox. It runs
// the bundled sandbox as a child process exactly as npm start does and checks what an owner would read.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../dev/resource-folder';

let output = '';
let exitCode: number | null = null;

beforeAll(async () => {
  const child = spawn(process.execPath, [join(ROOT, '.build/sandbox.mjs')], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    // Never the live API from CI, whatever the environment holds.
    env: { ...process.env, SONORAN_API_KEY: '', SONORAN_COMMUNITY_ID: '' },
  });
  child.stdin.end();
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
}, 90_000);

const line = (pattern: RegExp) => output.split('\n').find((l) => pattern.test(l));

describe('npm start without a terminal (the scripted demo)', () => {
  it('exits 0 after syncing the embedded fake CAD', () => {
    expect(exitCode, output).toBe(0);
    expect(line(/^sandbox: fake Sonoran CAD at http:\/\/127\.0\.0\.1:\d+ with 300 accounts$/)).toBeDefined();
    expect(line(/^\[sonoran_accounts\] synced \d+ accounts \(active \d+, banned \d+\)/)).toBeDefined();
  });

  it('shows an officer getting in with police, and a banned account rejected with the reason', () => {
    expect(line(/deferral: Checking your Sonoran CAD account…/)).toBeDefined();
    expect(line(/^ {2}\S+ joined as player 1$/)).toBeDefined();
    expect(output).toMatch(/export hasPermission 1 "police"\n {2}true\n/);
    expect(line(/rejected: You are banned from Sonoran CAD \(account \S+\)/)).toBeDefined();
    expect(line(/^\[sonoran_accounts\] 2 +Guest +- +no account/)).toBeDefined();
  });

  it('shows the revoke reaching job scripts as playerUpdated, then the ban dropping the officer', () => {
    expect(line(/event sonoran_accounts:playerUpdated \[1,"\S+ \(active\)",\{"granted":\[\],"revoked":\["police"\]/)).toBeDefined();
    expect(output).toMatch(/export hasPermission 1 "police"\n {2}false\n/);
    expect(line(/^ {2}player 1 \(\S+\) holds in es_extended: police$/)).toBeDefined();
    expect(line(/^\[sonoran_accounts\] jobs: player 1 \(\S+\) lost police: CAD account \S+ lacks the police permission; now unemployed 0$/)).toBeDefined();
    expect(line(/dropping player 1 \(\S+\): CAD account \S+ was banned/)).toBeDefined();
  });

  it('says that event lines are shortened, and how to see them whole', () => {
    expect(line(/^sandbox: event lines are shortened: an account shows as "username \(status\)", a summary's changes as their count/)).toBeDefined();
  });

  it('runs /cadcheck as the player and shows the chat they get', () => {
    expect(line(/^ {2}chat to player 1: Sonoran CAD: \S+ · active · permissions: .*police/)).toBeDefined();
  });

  it('says it is the scripted demo, and how to get the interactive console', () => {
    expect(line(/^sandbox: no terminal, so a short scripted demo runs \(for the interactive console: run npm start in a terminal\)$/)).toBeDefined();
    expect(line(/that was the scripted demo; for the interactive console: run npm start in a terminal/)).toBeDefined();
  });

  it('prints plain text without colour codes when not on a terminal', () => {
    expect(output).not.toMatch(/\x1b\[|\^\d/);
  });
});
