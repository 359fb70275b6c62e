// FXServer's access control: principals inherit from parents (add_principal), players are
// player.<id> and inherit from identifier.<type:value> principals, everyone from builtin.everyone;
// objects are dot hierarchies (`command` covers `command.cadcheck`); a deny beats an allow.

export function createAcl() {
  const aces = new Map<string, Map<string, 'allow' | 'deny'>>();
  const parents = new Map<string, Set<string>>();

  const closure = (start: readonly string[]): string[] => {
    const seen = new Set<string>();
    const queue = [...start];
    while (queue.length > 0) {
      const p = queue.shift()!;
      if (seen.has(p)) continue;
      seen.add(p);
      for (const parent of parents.get(p) ?? []) queue.push(parent);
    }
    seen.add('builtin.everyone');
    for (const parent of parents.get('builtin.everyone') ?? []) seen.add(parent);
    return [...seen];
  };

  const objectChain = (object: string) => {
    const parts = object.split('.');
    return parts.map((_, i) => parts.slice(0, parts.length - i).join('.'));
  };

  return {
    addAce(principal: string, object: string, mode: 'allow' | 'deny') {
      if (!aces.has(principal)) aces.set(principal, new Map());
      aces.get(principal)!.set(object, mode);
    },
    removeAce(principal: string, object: string) {
      aces.get(principal)?.delete(object);
    },
    addPrincipal(child: string, parent: string) {
      if (!parents.has(child)) parents.set(child, new Set());
      parents.get(child)!.add(parent);
    },
    removePrincipal(child: string, parent: string) {
      const set = parents.get(child);
      set?.delete(parent);
      if (set?.size === 0) parents.delete(child);
    },
    /** Principals a player starts from: player.<id> and one identifier.<id> per identifier. */
    allowed(start: readonly string[], object: string): boolean {
      let allow = false;
      const chain = objectChain(object);
      for (const principal of closure(start)) {
        const entries = aces.get(principal);
        if (!entries) continue;
        for (const o of chain) {
          const mode = entries.get(o);
          if (mode === 'deny') return false;
          if (mode === 'allow') allow = true;
        }
      }
      return allow;
    },
    parentsOf: (child: string) => [...(parents.get(child) ?? [])],
  };
}

export type Acl = ReturnType<typeof createAcl>;
