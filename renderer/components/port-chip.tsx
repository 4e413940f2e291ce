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

/** One node port: solid when seen listening, dashed when only the kind's well-known port. */
export function PortChip({ node, kind, port, published, onClick }: Props) {
  const label = port.service ? `${port.port} ${port.service}` : String(port.port);
  const seen = port.source === 'listening' ? 'listening' : `well-known port for ${kind}, not seen listening`;
  const title = published
    ? `${node}:${port.port} is published (${published.state})${published.fromFile ? ` by the topology file, line ${published.fromFile.line}` : ''}; click to show its tunnel`
    : port.source === 'listening'
      ? `${node}:${port.port} listening${port.service ? ` (${port.service})` : ''}; click to publish`
      : seen;
  const cls = ['chip', port.source === 'hint' ? 'chip-hint' : 'chip-listening', published ? `chip-published pub-${toneOf(published.state)}` : ''].join(' ');
  return (
    <button
      type="button"
      className={cls}
      title={title}
      aria-label={published ? title : `${title}; publish ${node}:${port.port}`}
      data-testid={`port-${node}-${port.port}`}
      data-source={port.source}
      data-published={published ? 'true' : undefined}
      onClick={onClick}
    >
      {published ? <span className={`dot tone-${toneOf(published.state)}`} aria-hidden="true" /> : null}
      {label}
      {published?.fromFile ? (
        <span className="chip-file" aria-hidden="true" title={`published by the topology file, line ${published.fromFile.line}`} data-testid="port-from-file">
          ≡
        </span>
      ) : null}
    </button>
  );
}
