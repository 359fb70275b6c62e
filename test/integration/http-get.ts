// One HTTP request to the emulator's endpoints of a resource (SetHttpHandler), as an outside client.
import { request as httpRequest } from 'node:http';
import type { FxServer } from './harness';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function httpGet(fx: FxServer, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<HttpAnswer> {
  const base = await fx.httpUrl();
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
