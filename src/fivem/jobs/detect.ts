// Which framework's jobs to guard. `auto`: the one started among qbx_core, qb-core, es_extended, ox_core;
// Qbox first, because it provides qb-core (its qb-core compatibility exports would otherwise be mistaken
// for QBCore). Two unrelated frameworks started: no guessing; the owner is told to set jobs.framework.
import type { FrameworkName } from './framework';

export const FRAMEWORK_RESOURCES: Readonly<Record<FrameworkName, string>> = {
  qbox: 'qbx_core',
  qbcore: 'qb-core',
  esx: 'es_extended',
  ox: 'ox_core',
};

export type Detection = { framework: FrameworkName } | { framework: null; ambiguous?: string };

export function detectFramework(setting: FrameworkName | 'auto', resourceState: (name: string) => string): Detection {
  if (setting !== 'auto') return { framework: setting };
  let started = (Object.keys(FRAMEWORK_RESOURCES) as FrameworkName[]).filter((name) => resourceState(FRAMEWORK_RESOURCES[name]) === 'started');
  if (started.includes('qbox')) started = started.filter((name) => name !== 'qbcore');
  if (started.length === 1) return { framework: started[0]! };
  if (started.length === 0) return { framework: null };
  const names = started.map((name) => FRAMEWORK_RESOURCES[name]);
  const list = names.length === 2 ? `both ${names[0]} and ${names[1]}` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return { framework: null, ambiguous: `jobs.framework is "auto" and ${list} are started; set jobs.framework in config.json to the one that holds your jobs. No job is checked until then` };
}
