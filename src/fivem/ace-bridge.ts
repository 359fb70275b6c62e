// Opt-in (config ace.enabled): each connected player with an active CAD account is a member of
// group.<prefix>.<flag> for every granted flag, so server.cfg can grant anything to CAD roles
// (`add_ace group.cad.police mdt.use allow`) and other resources need only IsPlayerAceAllowed.
import type { Context } from './context';
import { effectivePermissions } from './effective';
import type { ServerId } from './host';

/** Returns the bridge's state for the start-up status: off, or on and whether the add_ace lines are there. */
export function bridgeAces(ctx: Context): string {
  const { config, host, players, log } = ctx;
  if (!config.ace.enabled) return 'off (ace.enabled)';
  const prefix = config.ace.prefix;
  const self = `resource.${host.resourceName}`;
  /** Principals this resource added, per player, so it removes exactly those and nothing else. */
  const added = new Map<ServerId, Set<string>>();
  let warned = false;

  const allowed = () => {
    const ok =
      host.isPrincipalAceAllowed(self, 'command.add_principal') &&
      host.isPrincipalAceAllowed(self, 'command.remove_principal');
    if (!ok && !warned) {
      warned = true;
      log.warn(
        `ace.enabled is on, but this resource may not manage principals. Add to server.cfg:\n` +
          `  add_ace ${self} command.add_principal allow\n  add_ace ${self} command.remove_principal allow`,
      );
    }
    return ok;
  };

  const sync = (id: ServerId, wanted: readonly string[]) => {
    const have = added.get(id) ?? new Set<string>();
    const want = new Set(wanted.map((flag) => `group.${prefix}.${flag}`));
    if (have.size === 0 && want.size === 0) return;
    if (!allowed()) return;
    for (const group of want) if (!have.has(group)) host.executeCommand(`add_principal player.${id} ${group}`);
    for (const group of have) if (!want.has(group)) host.executeCommand(`remove_principal player.${id} ${group}`);
    if (want.size === 0) added.delete(id);
    else added.set(id, want);
  };

  players.onAccountChange((entry) => sync(entry.id, effectivePermissions(entry.account)));
  host.on('playerDropped', (src) => sync(Number(src), []));
  host.on('onResourceStop', (_src, name: string) => {
    if (name !== host.resourceName) return;
    for (const id of [...added.keys()]) sync(id, []);
  });
  // Checked now, not when the first linked player joins: server.cfg's add_ace lines ran before this start.
  return allowed()
    ? `on (group.${prefix}.<flag>), allowed to add and remove principals`
    : 'on, but may not manage principals: the two add_ace lines are missing (see the warning above)';
}
