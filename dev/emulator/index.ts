export { createFxServer, type ConnectResult, type FxServer, type FxServerOptions } from './server';
export { serverScripts, clientDownloads } from './manifest';
