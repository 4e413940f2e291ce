/** IPC channel names shared by the main process bridge and the preload script. */
export const RPC_CHANNEL_PREFIX = 'rpc:';
/** Core events travel to the page on this one channel as `(name, payload)`. */
export const EVENT_CHANNEL = 'event';
/** The page sends this once its event listeners are in place. */
export const READY_CHANNEL = 'renderer:ready';
