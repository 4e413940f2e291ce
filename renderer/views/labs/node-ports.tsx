import { useMemo } from 'react';
import { transportOf, type LabNode, type TunnelState } from '../../../shared/model';
import { PortChip } from '../../components/port-chip';
import { usePublicationsStore } from '../../stores/use-publications-store';
import { useTunnelsStore } from '../../stores/use-tunnels-store';
import { useUiStore } from '../../stores/use-ui-store';

interface Props {
  host: string;
  lab: string;
  node: LabNode;
}

/** The port chips of one node; a chip of a published port jumps to its tunnel row. */
export function NodePorts({ host, lab, node }: Props) {
  const publications = usePublicationsStore((s) => s.items);
  const tunnels = useTunnelsStore((s) => s.items);
  const openPublish = useUiStore((s) => s.openPublish);
  const highlight = useUiStore((s) => s.highlightPublication);

  const byPort = useMemo(() => {
    // By transport and port: TCP 161 and UDP 161 are two chips, each with its own tunnel.
    const map = new Map<string, { id: string; state: TunnelState; fromFile?: { line: number } }>();
    const stateOf = (pubId: string): TunnelState => tunnels.find((t) => t.publicationId === pubId)?.state ?? 'pending';
    for (const p of publications) {
      if (p.host === host && p.lab === lab && p.node === node.name) {
        const fromFile = p.origin === 'topology' && p.source ? { line: p.source.line } : undefined;
        map.set(`${transportOf(p.type)}/${p.port}`, { id: p.id, state: stateOf(p.id), fromFile });
      }
    }
    return map;
  }, [publications, tunnels, host, lab, node.name]);

  if (node.ports.length === 0) return <span className="muted">no ports seen</span>;
  return (
    <div className="chips">
      {node.ports.map((port) => {
        const pub = byPort.get(`${port.protocol}/${port.port}`);
        return (
          <PortChip
            key={`${port.protocol}/${port.port}`}
            node={node.name}
            kind={node.kind}
            port={port}
            published={pub}
            onClick={() =>
              pub
                ? highlight(pub.id)
                : openPublish({ host, lab, node: node.name, kind: node.kind, port: port.port, protocol: port.protocol, service: port.service })
            }
          />
        );
      })}
    </div>
  );
}
