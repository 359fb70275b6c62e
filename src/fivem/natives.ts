/// <reference types="@citizenfx/server" />
// The only file that reads FXServer's globals. Everything else gets an FxHost.
import type { FxHost, ServerId } from './host';

export function createNativeHost(): FxHost {
  const resourceName = GetCurrentResourceName();
  return {
    resourceName,
    resourcePath: GetResourcePath(resourceName),
    on(event, handler) {
      on(event, (...args: unknown[]) => handler(source, ...args));
    },
    emit: (event, ...args) => emit(event, ...args),
    registerExport: (name, fn) => exports(name, fn),
    callExport: (resource, name, ...args) => (exports as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[resource]![name]!(...args),
    registerCommand(name, handler, restricted) {
      RegisterCommand(name, (src: number, args: string[]) => handler(Number(src), args), restricted);
    },
    getConvar(name) {
      const value = GetConvar(name, '');
      return value === '' ? undefined : value;
    },
    resourceState: (name) => GetResourceState(name),
    loadResourceFile: (path) => LoadResourceFile(resourceName, path) ?? null,
    players: () => getPlayers().map(Number),
    identifiersOf: (player) => getPlayerIdentifiers(player) ?? [],
    playerName: (player) => GetPlayerName(String(player)) ?? '',
    dropPlayer: (player, reason) => DropPlayer(String(player), reason),
    isAceAllowed: (player, ace) => IsPlayerAceAllowed(String(player), ace),
    isPrincipalAceAllowed: (principal, ace) => IsPrincipalAceAllowed(principal, ace),
    executeCommand: (line) => ExecuteCommand(line),
    chat: (player, message) => emitNet('chat:addMessage', player, message),
    setPlayerState(player: ServerId, key, value, replicated) {
      Player(player).state.set(key, value, replicated);
    },
    print: (line) => console.log(line),
    resourceVersion: () => GetResourceMetadata(resourceName, 'version', 0) ?? '',
    setHttpHandler: (handler) => SetHttpHandler(handler),
    nextTick: () => new Promise((resolve) => setTimeout(resolve, 0)),
  };
}
