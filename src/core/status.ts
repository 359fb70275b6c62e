// What the status endpoints report (fivem/status-http.ts serves it, prometheus.ts renders it as metrics):
// figures the refresher, the transport and the sharing coordinator already hold, gathered into one plain
// object. Nothing here reads FiveM; every text that could quote a secret passes the caller's masker.
import type { SharingStatus } from './shared/sharing';
import type { CacheInfo, CacheSource, HttpTransport } from './types';

export interface StatusReport {
  resource: string;
  /** fxmanifest `version`. */
  version: string;
  ready: boolean;
  source: CacheSource;
  accounts: number;
  refreshing: boolean;
  /** Epoch ms of the last successful sweep (or of the snapshot loaded), as getCacheInfo(). */
  lastRefreshAt: number | null;
  nextRefreshAt: number | null;
  /** When the ban watch last finished a run over the banned list (epoch ms), as getCacheInfo(); null before or when off. */
  banWatchAt: number | null;
  /** The last failure, masked; null after a success. */
  lastError: string | null;
  /** HTTP 429 answers from the CAD since the resource started. */
  rateLimited: number;
  /** null without database.enabled. */
  shared: SharingStatus | null;
  /** When this report was made (epoch ms): ages without trusting the reader's clock. */
  now: number;
}

export interface StatusParts {
  resource: string;
  version: string;
  info: CacheInfo;
  rateLimited: number;
  shared: SharingStatus | null;
  now: number;
  redact: (text: string) => string;
}

export function statusReport(p: StatusParts): StatusReport {
  const { info, redact } = p;
  return {
    resource: p.resource,
    version: p.version,
    ready: info.ready,
    source: info.source,
    accounts: info.accounts,
    refreshing: info.refreshing,
    lastRefreshAt: info.lastRefreshAt,
    nextRefreshAt: info.nextRefreshAt,
    banWatchAt: info.banWatchAt,
    lastError: info.lastError === null ? null : redact(info.lastError),
    rateLimited: p.rateLimited,
    shared: p.shared && { ...p.shared, server: redact(p.shared.server), leaseHolder: p.shared.leaseHolder && redact(p.shared.leaseHolder) },
    now: p.now,
  };
}

/** The transport, counting the CAD's 429 answers on the way (sweeps, lookups and retries alike). */
export function countRateLimits(transport: HttpTransport): HttpTransport & { rateLimited(): number } {
  let count = 0;
  return {
    async request(req) {
      const res = await transport.request(req);
      if (res.status === 429) count += 1;
      return res;
    },
    rateLimited: () => count,
  };
}
