// The status figures in Prometheus' text exposition format, the format FXServer's own /perf/ endpoint
// serves (prometheus-cpp's TextSerializer): `# HELP`, `# TYPE`, then `name{labels} value` lines.
import type { StatusReport } from './status';

const PREFIX = 'sonoran_accounts_';

interface Metric {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: { labels?: Record<string, string>; value: number }[];
}

/** Label values escape backslash, double quote and line feed (the format's only escapes). */
const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function render(metrics: Metric[]): string {
  const lines: string[] = [];
  for (const m of metrics) {
    if (m.samples.length === 0) continue;
    lines.push(`# HELP ${PREFIX}${m.name} ${m.help}`, `# TYPE ${PREFIX}${m.name} ${m.type}`);
    for (const s of m.samples) {
      const labels = s.labels ? `{${Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
      lines.push(`${PREFIX}${m.name}${labels} ${s.value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const flag = (b: boolean) => (b ? 1 : 0);
/** A time as seconds since the epoch, or no sample at all when there is none (Prometheus' convention). */
const seconds = (ms: number | null) => (ms === null ? [] : [{ value: ms / 1000 }]);

export function prometheusText(r: StatusReport): string {
  const metrics: Metric[] = [
    { name: 'info', help: 'Resource version and where the cache came from (api, snapshot, empty); always 1.', type: 'gauge', samples: [{ labels: { version: r.version, source: r.source }, value: 1 }] },
    { name: 'ready', help: '1 once a sweep or the snapshot filled the cache.', type: 'gauge', samples: [{ value: flag(r.ready) }] },
    { name: 'accounts', help: 'CAD accounts in the cache.', type: 'gauge', samples: [{ value: r.accounts }] },
    { name: 'refreshing', help: '1 while a sweep runs.', type: 'gauge', samples: [{ value: flag(r.refreshing) }] },
    { name: 'last_refresh_timestamp_seconds', help: 'When the last sweep succeeded (or the snapshot was saved), seconds since the epoch.', type: 'gauge', samples: seconds(r.lastRefreshAt) },
    { name: 'next_refresh_timestamp_seconds', help: 'When the next sweep or retry is due, seconds since the epoch.', type: 'gauge', samples: seconds(r.nextRefreshAt) },
    { name: 'ban_watch_timestamp_seconds', help: 'When the ban watch last finished a run over the banned list (read whole or what changed since the run before), seconds since the epoch (none before its first run or when it is off).', type: 'gauge', samples: seconds(r.banWatchAt) },
    { name: 'last_refresh_failed', help: '1 when the last sweep failed (the status endpoint says why).', type: 'gauge', samples: [{ value: flag(r.lastError !== null) }] },
    { name: 'rate_limited_total', help: 'HTTP 429 answers from the CAD since the resource started.', type: 'counter', samples: [{ value: r.rateLimited }] },
  ];
  if (r.shared) {
    metrics.push(
      { name: 'shared_sweeping', help: '1 while this server holds the sweep lease of the shared database.', type: 'gauge', samples: [{ value: flag(r.shared.sweeping) }] },
      {
        name: 'shared_info',
        help: 'Shared database mode (connecting, shared, alone, refused), this server and the lease holder last seen; always 1.',
        type: 'gauge',
        samples: [{ labels: { mode: r.shared.mode, server: r.shared.server, lease_holder: r.shared.leaseHolder ?? '' }, value: 1 }],
      },
    );
  }
  return render(metrics);
}
