// SET_HTTP_HANDLER over real HTTP on 127.0.0.1, as FXServer serves a resource's HTTP endpoint
// (citizenfx/fivem code/components/citizen-server-impl/src/ResourceHttpHandler.cpp, routing in
// citizen-server-net/src/HttpServerManager.cpp, body delivery in net-http-server/src/Http1Server.cpp and
// include/HttpServer.h). docs/architecture.md lists each rule; test/emulator/http-handler.test.ts tests them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Callable = (...args: unknown[]) => unknown;

export interface HttpEndpointHooks {
  /** Running resources by name (an endpoint exists from start to stop). */
  resourceNames(): string[];
  /** gscomms_execute_callback_on_main_thread: the handler and data callbacks run in a server tick. */
  onMainThread(fn: () => void): void;
}

export function createHttpEndpoints(hooks: HttpEndpointHooks) {
  /** The handler each resource set with SetHttpHandler (already a callable into that resource). */
  const handlers = new Map<string, Callable>();
  let server: Server | null = null;
  let listening: Promise<string> | null = null;

  /** HttpServerManager: prefix `/<name>/` compared case-blind (_strnicmp), or the path `/<name>` exactly. */
  function route(path: string): string | undefined {
    const lower = path.toLowerCase();
    return hooks
      .resourceNames()
      .sort()
      .find((name) => lower.startsWith(`/${name.toLowerCase()}/`) || path === `/${name}`);
  }

  function serve(req: IncomingMessage, res: ServerResponse) {
    const path = req.url ?? '/';
    const resource = route(path);
    if (resource === undefined) {
      res.writeHead(404);
      res.end(`Route ${path} not found.`);
      return;
    }
    // No per-peer limiter here: FXServer's (`http_<resource>`, 10/s, burst 25) skips sv_proxyIPRanges,
    // whose default holds 127.0.0.0/8, the only address this server listens on.
    const handler = handlers.get(resource);
    if (!handler) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found.');
      return;
    }
    const prefixLength = resource.length + 2;
    const request = incoming(req, res, path.length >= prefixLength ? path.slice(prefixLength) : '');
    hooks.onMainThread(() => {
      try {
        handler(request, outgoing(res));
      } catch {
        // The resource printed SCRIPT ERROR in call ref; FXServer leaves the response open, so do we.
      }
    });
  }

  /** RequestWrap: headers, method, address, path, setDataHandler, setCancelHandler. */
  function incoming(req: IncomingMessage, res: ServerResponse, localPath: string) {
    // std::map<std::string, std::string> filled from the header list: names as the client sent them,
    // the first of two with the very same name kept.
    const headers: Record<string, string> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      if (!(name in headers)) headers[name] = req.rawHeaders[i + 1]!;
    }
    let body: Buffer | null = null;
    let onData: Callable | null = null;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // Http1Server calls the data handler only for a request with a body; before one is set it waits.
      if (chunks.length === 0) return;
      body = Buffer.concat(chunks);
      if (onData) deliver(onData, body);
    });
    const deliver = (fn: Callable, data: Buffer) => {
      onData = null;
      body = null;
      hooks.onMainThread(() => fn(data.toString('utf8')));
    };
    let onCancel: Callable | null = null;
    res.on('close', () => {
      if (!res.writableEnded && onCancel) {
        const fn = onCancel;
        hooks.onMainThread(() => fn());
      }
    });
    return {
      headers,
      method: req.method ?? 'GET',
      address: `${req.socket.remoteAddress}:${req.socket.remotePort}`,
      path: `/${localPath}`,
      setDataHandler(fn: unknown) {
        if (typeof fn !== 'function') return;
        if (body) deliver(fn as Callable, body);
        else onData = fn as Callable;
      },
      setCancelHandler(fn: unknown) {
        if (typeof fn === 'function') onCancel = fn as Callable;
      },
    };
  }

  /** ResponseWrap: writeHead, write, send, each reading its arguments as ResourceHttpHandler.cpp does. */
  function outgoing(res: ServerResponse) {
    const text = (value: unknown, what: string) => {
      // msgpack's as<std::string>() takes a string and nothing else.
      if (typeof value !== 'string') throw new TypeError(`${what}: expected a string, got ${typeof value}`);
      return value;
    };
    return {
      writeHead(code: unknown, headers?: unknown) {
        if (!Number.isInteger(code)) throw new TypeError(`writeHead: the status code must be an integer, got ${typeof code}`);
        if (res.headersSent) return;
        const out: Record<string, string | string[]> = {};
        if (headers !== undefined && headers !== null) {
          for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
            out[name] = Array.isArray(value) ? value.map((v) => text(v, `writeHead header ${name}`)) : text(value, `writeHead header ${name}`);
          }
        }
        res.writeHead(code as number, out);
        // HTTP/1.1: the head goes out at once (response->WriteHead).
        if (res.req.httpVersion !== '1.0') res.flushHeaders();
      },
      write(data: unknown) {
        if (!res.writableEnded) res.write(text(data, 'write'));
      },
      send(data?: unknown) {
        if (res.writableEnded) return;
        if (data === undefined || data === null) res.end();
        else res.end(text(data, 'send'));
      },
    };
  }

  return {
    set(resource: string, handler: Callable) {
      handlers.set(resource, handler);
    },
    /** The resource stopped: its endpoint is removed (OnStop -> RemoveEndpoint). */
    remove(resource: string) {
      handlers.delete(resource);
    },
    /** Base URL (`http://127.0.0.1:<port>`), listening from the first call on. */
    url(): Promise<string> {
      listening ??= new Promise((resolve, reject) => {
        server = createServer(serve);
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`));
      });
      return listening;
    },
    async close() {
      if (!server) return;
      const s = server;
      server = null;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}
