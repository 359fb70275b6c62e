// .github/workflows/release.yml cannot run here (it needs GitHub). What can be checked is checked: it
// runs on a version tag, installs from the lockfile and builds with the same `npm run release` as a
// maintainer, attaches the very file that script writes, pins every action, and its version check
// agrees with fxmanifest.lua.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../../dev/resource-folder';

const raw = readFileSync(join(ROOT, '.github/workflows/release.yml'), 'utf8');
const workflow = parse(raw) as {
  on: { push: { tags: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, { steps: { uses?: string; run?: string }[] }>;
};
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const runs = steps.map((s) => s.run?.trim() ?? '');
const indexOfRun = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));

describe('the release workflow', () => {
  it('runs on a v* tag and may write releases', () => {
    expect(workflow.on.push.tags).toEqual(['v*']);
    expect(workflow.permissions.contents).toBe('write');
  });

  it('installs from the lockfile, tests, then builds with npm run release, in that order', () => {
    const ci = indexOfRun(/^npm ci\b/);
    const test = indexOfRun(/^npm test$/);
    const release = indexOfRun(/^npm run release$/);
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(test).toBeGreaterThan(ci);
    expect(release).toBeGreaterThan(test);
    const script = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.release as string;
    expect(script).toMatch(/node scripts\/release\.mjs$/);
  });

  it('attaches the file npm run release writes, and nothing else', () => {
    const releaseScript = readFileSync(join(ROOT, 'scripts/release.mjs'), 'utf8');
    const written = /option\('--out', join\(root, '([^']+)'\)\)/.exec(releaseScript)?.[1];
    expect(written).toBe('sonoran_accounts.zip');
    const upload = runs[indexOfRun(/gh release (create|upload)/)]!;
    for (const command of upload.split('\n').filter((l) => /gh release (create|upload)/.test(l))) {
      expect(command).toContain(` ${written} `);
    }
  });

  it('pins every action to a released version (commit SHA with the version named, or an exact tag)', () => {
    const uses = raw.split('\n').filter((l) => /^\s*-?\s*uses:/.test(l));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w-]+\/[\w-]+@(?:[0-9a-f]{40} # v\d+\.\d+\.\d+|v\d+\.\d+\.\d+)\s*$/);
  });

  it('its tag check matches fxmanifest.lua, whose version is package.json\'s', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
    const manifest = readFileSync(join(ROOT, 'fxmanifest.lua'), 'utf8');
    expect(manifest.split('\n')).toContain(`version '${version}'`);
    expect(runs[indexOfRun(/fxmanifest\.lua/)]).toContain(`grep -q "^version '\${version}'$" fxmanifest.lua`);
  });
});
