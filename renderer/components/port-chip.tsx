import type { NodePort, TunnelState } from '../../shared/model';
import { toneOf } from './state-badge';

interface Props {
  node: string;
  kind: string;
  port: NodePort;
  /** State of the tunnel when this port is already published. */
  published?: { state: TunnelState | 'pending'; fromFile?: { line: number } };
  onClick: () => void;
}

/** The chip's test id: TCP ports keep `port-<node>-<port>`, UDP ones say so. */
export const portChipTestId = (node: string, port: Pick<NodePort, 'port' | 'protocol'>) => (port.protocol === 'udp' ? `port-${node}-udp-${port.port}` : `port-${node}-${port.port}`);

/** One node port: solid when seen listening, dashed when only the kind's well-known port; UDP ones marked. */
export function PortChip({ node, kind, port, published, onClick }: Props) {
  const udp = port.protocol === 'udp';
  const label = port.service ? `${port.port} ${port.service}` : String(port.port);
  const what = `${node}:${port.port}${udp ? '/udp' : ''}`;
  const seen = port.source === 'listening' ? (udp ? 'bound (UDP)' : 'listening') : `well-known ${udp ? 'UDP ' : ''}port for ${kind}, not seen ${udp ? 'bound' : 'listening'}`;
  const title = published
    ? `${what} is published (${published.state})${published.fromFile ? ` by the topology file, line ${published.fromFile.line}` : ''}; click to show its tunnel`
    : port.source === 'listening'
      ? `${what} ${seen}${port.service ? ` (${port.service})` : ''}; click to publish`
      : seen;
  const cls = ['chip', port.source === 'hint' ? 'chip-hint' : 'chip-listening', udp ? 'chip-udp' : '', published ? `chip-published pub-${toneOf(published.state)}` : ''].filter(Boolean).join(' ');
  return (
    <button
      type="button"
      className={cls}
      title={title}
      aria-label={published ? title : `${title}; publish ${what}`}
      data-testid={portChipTestId(node, port)}
      data-source={port.source}
      data-protocol={port.protocol}
      data-published={published ? 'true' : undefined}
      onClick={onClick}
    >
      {published ? <span className={`dot tone-${toneOf(published.state)}`} aria-hidden="true" /> : null}
      {udp ? <span className="chip-proto">UDP</span> : null}
      {label}
      {published?.fromFile ? (
        <span className="chip-file" aria-hidden="true" title={`published by the topology file, line ${published.fromFile.line}`} data-testid="port-from-file">
          ≡
        </span>
      ) : null}
    </button>
  );
}
