import { create } from 'zustand';
import type { ConnectionStatus } from '../api/transport';

/** How the renderer reaches the core (always `open` in Electron). */
export const useConnectionStore = create<ConnectionStatus & { kind: 'electron' | 'websocket' }>()(() => ({
  kind: 'websocket',
  state: 'connecting',
}));
