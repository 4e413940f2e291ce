import { createBridgeTransport } from './bridge-client';
import { createWsTransport } from './ws-client';
import type { Transport } from './transport';

export { ApiError } from './api-error';
export type { ConnectionStatus, Transport } from './transport';

/** Electron when the preload bridge is there, the headless host's WebSocket otherwise. */
export const transport: Transport = window.clabPublisher
  ? createBridgeTransport(window.clabPublisher)
  : createWsTransport();

/** Views and stores call the core through this; they never know which transport carries it. */
export const api = transport.api;
