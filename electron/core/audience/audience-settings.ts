import type { ParamsOut } from '../../../shared/contract';
import type { AudienceSettings } from '../../../shared/audience-model';
import { AppError } from '../../../shared/rpc-errors';

/**
 * The owner's change to a share's audience settings, over what was set before: each node
 * given a terminal must be a node of the share's lab (or have a port in the share), named
 * once. Ranges are the contract's; this checks what only the core knows.
 */
export function checkSettings(p: ParamsOut<'shares.setAudience'>, before: AudienceSettings, nodes: readonly string[]): AudienceSettings {
  let terminals = p.terminals ?? before.terminals;
  if (p.terminal) {
    const { node, via } = p.terminal;
    if (via !== 'off' && !nodes.includes(node)) throw new AppError('invalid_params', `node ${node} is not in this share's lab`, nodes.length ? `nodes: ${nodes.join(', ')}` : 'deploy the lab first', 'terminal.node');
    terminals = [...terminals.filter((t) => t.node !== node), ...(via === 'off' ? [] : [{ node, via }])];
  }
  const seen = new Set<string>();
  terminals.forEach((t, i) => {
    if (!nodes.includes(t.node)) {
      throw new AppError('invalid_params', `node ${t.node} is not in this share's lab`, nodes.length ? `nodes: ${nodes.join(', ')}` : 'deploy the lab first', `terminals.${i}.node`);
    }
    if (seen.has(t.node)) throw new AppError('invalid_params', `node ${t.node} is named twice`, 'give each node one way in (ssh or engine)', `terminals.${i}.node`);
    seen.add(t.node);
  });
  return {
    terminals: terminals.map((t) => ({ node: t.node, via: t.via })),
    maxSessions: p.maxSessions ?? before.maxSessions,
    idleTimeoutMin: p.idleTimeoutMin ?? before.idleTimeoutMin,
    record: p.record ?? before.record,
  };
}
