// How the API key is masked in what the resource prints and reports: the whole key wherever it appears,
// however short a community's key is; and a resource with no key at all prints readable lines.
import { Buffer } from 'node:buffer';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { createCadClient } from '../../src/core/api/client';
import { createNodeTransport } from '../../src/core/http/node-transport';
import { mayHoldSecret, maskSecrets } from '../../src/core/secrets';
import { createLogger } from '../../src/fivem/log';
import { configFor } from './helpers';

let cad: FakeCad | undefined;
afterEach(() => cad?.close());

describe('the API key in a CAD error that quotes the request back', () => {
  it.each([1, 2] as const)('a 4-character key is masked whole (API v%i)', async (version) => {
    cad = await startFakeCad({ rateLimit: false, accounts: 3, apiKey: 'Zq7w' });
    cad.fault('echo', { status: 400 });
    const client = createCadClient({ config: configFor(cad, {}, version), transport: createNodeTransport(), now: Date.now });
    const err = await client.getAccountsPage({ status: 1, offset: 0, limit: 100 }).catch((e) => e);
    const echoed = cad.requests[0]!;
    expect(JSON.stringify(echoed.body) + String(echoed.headers.authorization)).toContain('Zq7w');
    expect(err.message).toContain('***');
    expect(err.message).not.toContain('Zq7w');
  });
});

describe('console lines', () => {
  it('are printed as written when no API key is set (an empty key masks nothing)', () => {
    const lines: string[] = [];
    const log = createLogger((line) => lines.push(line), false, ['']);
    log.info('sonoran_apiKey is not set: 0 accounts cached');
    expect(lines).toEqual(['sonoran_apiKey is not set: 0 accounts cached']);
  });

  it('mask a 4-character key and leave the rest of the line alone', () => {
    const lines: string[] = [];
    const log = createLogger((line) => lines.push(line), false, ['Zq7w']);
    log.warn('GET_ACCOUNTS answered 400: {"key":"Zq7w","limit":100}');
    expect(lines).toEqual(['^3warning:^7 GET_ACCOUNTS answered 400: {"key":"***","limit":100}']);
  });
});

describe('pieces of a long key (an answer that quotes the request cut short)', () => {
  const KEY = 'kq8Z-41f0c2e9-LONG-api-key-7';
  const mask = (text: string) => {
    const lines: string[] = [];
    createLogger((line) => lines.push(line), false, [KEY]).info(text);
    return lines[0];
  };

  it('a message cut right after the first 8 characters of the key ends in the mask', () => {
    expect(mask(`POST /general/get_accounts {"key":"${KEY.slice(0, 8)}`)).toBe('POST /general/get_accounts {"key":"***');
  });

  it('a piece of the key is masked up to its last character, and not one further', () => {
    expect(mask(`key=${KEY.slice(3, 20)}, limit=100`)).toBe('key=***, limit=100');
    expect(mask(`[${KEY.slice(0, 12)}]${KEY.slice(12, 24)}!`)).toBe('[***]***!');
  });

  it('seven characters of the key are left alone (too short to mean anything), and the pre-check lets them by', () => {
    expect(mask(`id ${KEY.slice(5, 12)} ok`)).toBe(`id ${KEY.slice(5, 12)} ok`);
    expect(mayHoldSecret(KEY.slice(0, 7), [KEY])).toBe(false);
    expect(mayHoldSecret(`${KEY.slice(0, 7)}!`, [KEY])).toBe(false);
  });
});

describe('the key quoted in base64 (a proxy logging the request body encoded)', () => {
  const KEY = 'sonoran-key-0001'; // 16 bytes: 21 base64 characters hold only its bits at any alignment
  const b64 = (before: string) => Buffer.concat([Buffer.from(before), Buffer.from(KEY)]).toString('base64');

  it('is masked up to the characters that also hold a neighbour\'s bits, which stay readable', () => {
    expect(b64('')).toBe('c29ub3Jhbi1rZXktMDAwMQ==');
    expect(maskSecrets(b64(''), [KEY])).toBe('***Q==');
    expect(maskSecrets(b64('Z'), [KEY])).toBe('Wn***E=');
    // 'X' ends in two zero bits: the second character reads as if a zero byte stood there, and still holds a neighbour's bits.
    expect(maskSecrets(b64('X'), [KEY])).toBe('WH***E=');
    expect(maskSecrets(b64('ZZ'), [KEY])).toBe('Wlp***');
  });

  it('a JSON body quoting the key loses the key and keeps its quotes', () => {
    expect(maskSecrets(JSON.stringify({ key: KEY }), [KEY])).toBe('{"key":"***"}');
    expect(maskSecrets(JSON.stringify({ key: KEY.slice(0, 7) }), [KEY])).toBe('{"key":"sonoran"}');
  });
});
