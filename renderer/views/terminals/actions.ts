import type { ParamsIn } from '../../../shared/contract';
import type { TerminalScreen, TerminalSessionInfo } from '../../../shared/terminal-model';
import { api, transport } from '../../api';
import { upsertSession } from '../../stores/use-terminals-store';

// The terminals feature's calls to the core; `terminals.changed` brings their effect to the
// sessions table, `terminals.output` the output (use-terminals-store routes it per session).

/** Opens the owner's terminal; a typed password goes to the core for this one login only. */
export function openTerminal(params: ParamsIn<'terminals.open'>): Promise<TerminalSessionInfo> {
  return api['terminals.open'](params);
}

export async function writeTerminal(id: string, data: string): Promise<void> {
  await api['terminals.write']({ id, data });
}

export async function resizeTerminal(id: string, cols: number, rows: number): Promise<void> {
  await api['terminals.resize']({ id, cols, rows });
}

/** Ends one of the owner's terminals. */
export async function closeTerminal(id: string): Promise<void> {
  await api['terminals.close']({ id });
}

/** Ends any session, an attendee's too. */
export async function killSession(id: string): Promise<void> {
  await api['terminals.kill']({ id });
}

export function terminalScreen(id: string): Promise<TerminalScreen> {
  return api['terminals.screen']({ id });
}

/** Watch mode: shows the terminal read-only to a share's audience; null stops. */
export async function setBroadcast(id: string, shareId: string | null): Promise<void> {
  upsertSession(await api['terminals.setBroadcast']({ id, shareId }));
}

export async function readRecording(id: string): Promise<string> {
  return (await api['terminals.readRecording']({ id })).text;
}

export async function deleteRecording(id: string): Promise<void> {
  await api['terminals.deleteRecording']({ id });
}

/** Calls back after every reconnect to the core (output sent meanwhile is lost: redraw). */
export function onReconnected(cb: () => void): () => void {
  return transport.onConnected(cb);
}

/** Forgets a node's recorded SSH host key; the next terminal records the key it presents. */
export async function forgetHostKey(host: string, lab: string, node: string): Promise<number> {
  return (await api['terminals.forgetHostKey']({ host, lab, node })).forgotten;
}
