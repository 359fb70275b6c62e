// The one small interface the FiveM layer talks to. natives.ts builds it from FXServer's globals; tests
// drive the layer through the emulator, which provides the same globals, so there is no second fake.

/** Chat message as the default `chat` resource takes it. */
export interface ChatMessage {
  color: [number, number, number];
  multiline?: boolean;
  args: string[];
}

/** A server id: what FXServer hands to handlers (number) or keeps in lists (numeric string). */
export type ServerId = number;

export interface Deferrals {
  defer(): void;
  update(message: string): void;
  done(failureReason?: string): void;
}

/** What SetHttpHandler hands a handler (FXServer's documented request/response objects). */
export interface HttpRequestIn {
  method: string;
  /** After the `/<resource>` prefix, with any query string: `/status`. */
  path: string;
  /** Names as the client sent them: look them up without regard to case. */
  headers: Record<string, string>;
  address: string;
}
export interface HttpResponseOut {
  writeHead(code: number, headers?: Record<string, string | string[]>): void;
  write(data: string): void;
  send(data?: string): void;
}

export interface FxHost {
  readonly resourceName: string;
  /** Absolute folder of this resource (for the snapshot file). */
  readonly resourcePath: string;
  /**
   * Local event handler. `source` is read synchronously and passed first, because the global is gone
   * after the handler's first await. It is a number for player-originated events, else a string.
   */
  on(event: string, handler: (source: number | string, ...args: any[]) => void): void;
  emit(event: string, ...args: unknown[]): void;
  registerExport(name: string, fn: (...args: any[]) => unknown): void;
  /** `exports[resource][name](...args)`: another resource's export (throws FXServer's error when missing). */
  callExport(resource: string, name: string, ...args: unknown[]): any;
  registerCommand(name: string, handler: (source: number, args: string[]) => void, restricted: boolean): void;
  getConvar(name: string): string | undefined;
  /** GetResourceState: 'started', 'stopped', 'starting', 'missing', ... */
  resourceState(name: string): string;
  loadResourceFile(path: string): string | null;
  players(): ServerId[];
  identifiersOf(player: ServerId): string[];
  playerName(player: ServerId): string;
  dropPlayer(player: ServerId, reason: string): void;
  isAceAllowed(player: ServerId, ace: string): boolean;
  isPrincipalAceAllowed(principal: string, ace: string): boolean;
  executeCommand(line: string): void;
  chat(player: ServerId, message: ChatMessage): void;
  setPlayerState(player: ServerId, key: string, value: unknown, replicated: boolean): void;
  /** Console output, already prefixed by FXServer with the resource name. */
  print(line: string): void;
  /** fxmanifest `version` of this resource ('' without one). */
  resourceVersion(): string;
  /** Requests to http://<server>/<resourceName>/... (SetHttpHandler). */
  setHttpHandler(handler: (req: HttpRequestIn, res: HttpResponseOut) => void): void;
  /** Next server tick: deferral calls must be at least one tick apart. */
  nextTick(): Promise<void>;
}
