// jobs.* in config.json (issue 22): off by default; a rule names CAD permissions the CAD knows, the
// owner's rules replace the example ones whole (a map of job names is not merged key by key), and a bad
// value is one line naming the key, like every other setting.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config';

const load = (file: Record<string, unknown>) =>
  loadConfig({ text: JSON.stringify(file), getConvar: (name) => ({ sonoran_apiKey: 'k-123456', sonoran_communityID: 'c1' })[name] });

describe('config jobs.*', () => {
  it('is off by default, with the documented example rules', () => {
    const loaded = load({});
    expect(loaded.ok && loaded.config.jobs).toEqual({
      enabled: false,
      framework: 'auto',
      rules: { police: ['police'], sheriff: ['police'], ambulance: ['ems', 'fire'] },
      fallbackJob: 'unemployed',
      fallbackGrade: 0,
    });
  });

  it("takes the owner's rules whole: no example rule is merged in and no job name is an unknown setting", () => {
    const loaded = load({ jobs: { enabled: true, framework: 'qbox', rules: { lspd: 'police', bcso: ['police', 'polSuper'] } } });
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    expect(loaded.config.jobs.rules).toEqual({ lspd: ['police'], bcso: ['police', 'polSuper'] });
    expect(loaded.warnings).toEqual([]);
  });

  it('reports a permission the CAD does not know, a bad framework and a bad fallback, each on its own line', () => {
    const loaded = load({ jobs: { framework: 'vrp', rules: { police: 'cop', ems: ['ems', 'medic'], fire: [] }, fallbackJob: '', fallbackGrade: -1 } });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors).toEqual([
      expect.stringMatching(/^config\.json line 1, column \d+: jobs\.framework must be one of "auto", "esx", "qbcore", "qbox", "ox", got "vrp"$/),
      expect.stringMatching(/^config\.json line 1, column \d+: jobs\.rules\.police must name Sonoran CAD permissions.*got "cop"$/),
      expect.stringMatching(/^config\.json line 1, column \d+: jobs\.rules\.ems\.1 must name Sonoran CAD permissions.*got "medic"$/),
      expect.stringMatching(/^config\.json line 1, column \d+: jobs\.rules\.fire must name at least one permission, got \[\]$/),
      expect.stringMatching(/^config\.json line 1, column \d+: jobs\.fallbackJob must be a job name, got ""$/),
      expect.stringMatching(/^config\.json line 1, column \d+: jobs\.fallbackGrade must be a whole number from 0 to 1000, got -1$/),
    ]);
  });

  it('refuses a fallback job that has a rule itself (a removal would set a job it would then remove)', () => {
    const loaded = load({ jobs: { rules: { police: 'police' }, fallbackJob: 'police' } });
    expect(!loaded.ok && loaded.errors.join('\n')).toMatch(/jobs\.fallbackJob "police" has a rule in jobs\.rules/);
  });

  it('matches job names as the frameworks store them (lower case) and permissions case-insensitively', () => {
    const loaded = load({ jobs: { rules: { Police: 'POLICE' } } });
    expect(loaded.ok && loaded.config.jobs.rules).toEqual({ police: ['police'] });
  });
});
