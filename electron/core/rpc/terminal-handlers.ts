import type { OwnerTerminals } from '../terminals/owner-terminals';
import type { TerminalService } from '../terminals/terminal-service';
import type { Handlers } from './dispatch';

type TerminalHandlers = Pick<
  Handlers,
  | 'terminals.list'
  | 'terminals.kill'
  | 'terminals.open'
  | 'terminals.write'
  | 'terminals.resize'
  | 'terminals.close'
  | 'terminals.screen'
  | 'terminals.setBroadcast'
  | 'terminals.recordings'
  | 'terminals.readRecording'
  | 'terminals.deleteRecording'
  | 'terminals.forgetHostKey'
>;

export function createTerminalHandlers(s: { terminals: TerminalService; ownerTerminals: OwnerTerminals }): TerminalHandlers {
  return {
    'terminals.list': () => s.terminals.list(),
    'terminals.kill': (p) => (s.ownerTerminals.kill(p.id), {}),
    'terminals.open': (p) => s.ownerTerminals.open(p),
    'terminals.write': (p) => (s.ownerTerminals.write(p.id, p.data), {}),
    'terminals.resize': (p) => (s.ownerTerminals.resize(p.id, p.cols, p.rows), {}),
    'terminals.close': (p) => (s.ownerTerminals.close(p.id), {}),
    'terminals.screen': (p) => s.ownerTerminals.screen(p.id),
    'terminals.setBroadcast': (p) => s.ownerTerminals.setBroadcast(p.id, p.shareId),
    'terminals.recordings': () => s.terminals.recordings(),
    'terminals.readRecording': async (p) => ({ id: p.id, text: await s.terminals.readRecording(p.id) }),
    'terminals.deleteRecording': async (p) => (await s.terminals.deleteRecording(p.id), {}),
    'terminals.forgetHostKey': (p) => ({ forgotten: s.terminals.forgetHostKey(p.host, p.lab, p.node) }),
  };
}
