// A CAD in memory for property tests: v1 GET_ACCOUNTS / GET_ACCOUNT answered from a mutable account
// list, each request held until the test delivers (or fails) it, so answers arrive in any order and at
// any time relative to bans, links, connects and joins. The answer is computed at delivery: what the CAD
// holds at that moment, as a real answer reflects the moment it was made.
import type { HttpRequest, HttpResponse, HttpTransport } from '../../src/core/types';

export interface MemAccount {
  uuid: string;
  username: string;
  status: number;
  apiIds: string[];
  police: boolean;
}

/** What one delivered answer showed, for the test's model of "the newest information". */
export type Answer =
  | { kind: 'page'; status: number; accounts: MemAccount[] }
  | { kind: 'lookup'; account: MemAccount | null };

interface Held {
  req: HttpRequest;
  resolve: (res: HttpResponse) => void;
  reject: (err: Error) => void;
}

export function memoryCad(onAnswer: (answer: Answer) => void) {
  const accounts: MemAccount[] = [];
  const held: Held[] = [];

  const render = (a: MemAccount) => ({
    uuid: a.uuid,
    username: a.username,
    status: a.status,
    joined: '2024-01-01T00:00:00.000Z',
    lastLogin: '2025-01-01T00:00:00.000Z',
    permissions: { civilian: true, police: a.police },
    apiIds: [...a.apiIds],
  });
  const copy = (a: MemAccount): MemAccount => ({ ...a, apiIds: [...a.apiIds] });

  function answer(req: HttpRequest): HttpResponse {
    const body = JSON.parse(req.body ?? '{}') as { type: string; data: Record<string, unknown>[] };
    const data = body.data[0] ?? {};
    if (body.type === 'GET_ACCOUNT') {
      const wanted = String(data.apiId).toLowerCase();
      const found = accounts.find((a) => a.apiIds.some((id) => id.toLowerCase() === wanted)) ?? null;
      onAnswer({ kind: 'lookup', account: found && copy(found) });
      return found ? json(200, render(found)) : { status: 400, headers: {}, body: 'ACCOUNT NOT FOUND' };
    }
    const status = Number(data.status);
    const offset = Number(data.offset);
    const limit = Number(data.limit);
    const list = accounts.filter((a) => a.status === status);
    const page = list.slice(offset, offset + limit);
    onAnswer({ kind: 'page', status, accounts: page.map(copy) });
    return json(200, { pagination: { limit, offset, total: list.length }, accounts: page.map(render) });
  }

  const transport: HttpTransport = {
    request: (req) => new Promise<HttpResponse>((resolve, reject) => void held.push({ req, resolve, reject })),
  };

  return {
    accounts,
    transport,
    pending: () => held.length,
    /** Answers the `i`-th held request (modulo) from the CAD as it is now. */
    deliver(i: number): boolean {
      const h = held.splice(i % Math.max(1, held.length), 1)[0];
      if (!h) return false;
      h.resolve(answer(h.req));
      return true;
    },
    /** The connection to the CAD breaks for the `i`-th held request. */
    fail(i: number): boolean {
      const h = held.splice(i % Math.max(1, held.length), 1)[0];
      if (!h) return false;
      h.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      return true;
    },
    /** Pages held right now (a sweep waiting on the CAD). */
    heldPages: () => held.filter((h) => (h.req.body ?? '').includes('GET_ACCOUNTS')).length,
  };
}

const json = (status: number, value: unknown): HttpResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
