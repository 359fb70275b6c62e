// HTTP over node:http/https (FXServer's Node 16 has no fetch): one deadline for connect + whole body,
// gzip/deflate/br decoded as it streams, and a size cap enforced while reading, so a hostile or broken
// answer can neither hang a sweep nor fill memory.
import * as http from 'http';
import * as https from 'https';
import * as zlib from 'zlib';
import type { HttpResponse, HttpTransport } from '../types';

export type TransportErrorCode = 'timeout' | 'reset' | 'tooLarge' | 'network' | 'decode';

export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export function createNodeTransport(): HttpTransport {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 4 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 4 }),
  };
  return {
    request(req) {
      return new Promise<HttpResponse>((resolve, reject) => {
        const url = new URL(req.url);
        const lib = url.protocol === 'https:' ? https : http;
        const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
        let settled = false;
        const fail = (err: TransportError) => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          outgoing.destroy();
          reject(err);
        };
        const outgoing = lib.request(
          url,
          {
            method: req.method,
            agent,
            headers: {
              'accept-encoding': 'gzip, deflate, br',
              ...(req.body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(req.body) }),
              ...req.headers,
            },
          },
          (res) => {
            const stream = decoder(res.headers['content-encoding'], res);
            const chunks: Buffer[] = [];
            let size = 0;
            stream.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > req.maxBytes) fail(new TransportError('tooLarge', `response larger than ${req.maxBytes} bytes`));
              else chunks.push(chunk);
            });
            stream.on('error', (err: Error) =>
              fail(new TransportError(stream === res ? 'reset' : 'decode', `response broke off: ${err.message}`)),
            );
            res.on('aborted', () => fail(new TransportError('reset', 'connection reset while reading the response')));
            stream.on('end', () => {
              if (settled) return;
              settled = true;
              clearTimeout(deadline);
              resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8') });
            });
          },
        );
        const deadline = setTimeout(
          () => fail(new TransportError('timeout', `no complete answer within ${Math.round(req.timeoutMs / 1000)} s`)),
          req.timeoutMs,
        );
        outgoing.on('error', (err: NodeJS.ErrnoException) => {
          const code = err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 'reset' : 'network';
          fail(new TransportError(code, code === 'reset' ? 'connection reset by the CAD' : `cannot reach the CAD (${err.code ?? err.message})`));
        });
        outgoing.end(req.body);
      });
    },
  };
}

function decoder(encoding: string | undefined, res: http.IncomingMessage): NodeJS.ReadableStream {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return res.pipe(zlib.createGunzip());
    case 'deflate':
      return res.pipe(zlib.createInflate());
    case 'br':
      return res.pipe(zlib.createBrotliDecompress());
    default:
      return res;
  }
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers)) out[key] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
