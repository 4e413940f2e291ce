import type { Lab, LabHostStatus, LabNode } from '../../../shared/model';
import type { LabSource } from '../docker/lab-source';
import type { Dialer } from '../tunnels/dialer';
import { Emitter } from '../util/emitter';

/** Labs from every lab host, and how to reach each host's nodes. */
export class LabsService {
  private readonly emitter = new Emitter<{ labs: Lab[]; hosts: LabHostStatus[] }>();
  private readonly unsubs: (() => void)[] = [];

  constructor(private readonly sources: { source: LabSource; dialer: Dialer }[]) {}

  async start(): Promise<void> {
    for (const { source } of this.sources) {
      this.unsubs.push(
        source.onChanged(() => {
          this.emitter.emit('hosts', this.hosts());
          this.emitter.emit('labs', this.labs());
        }),
      );
      await source.start();
    }
  }

  labs(): Lab[] {
    return this.sources.flatMap(({ source }) => source.labs());
  }

  hosts(): LabHostStatus[] {
    return this.sources.map(({ source }) => source.status());
  }

  findNode(host: string, lab: string, node: string): LabNode | undefined {
    const src = this.sources.find((s) => s.source.hostId === host)?.source;
    return src?.labs().find((l) => l.name === lab)?.nodes.find((n) => n.name === node);
  }

  dialerFor(host: string): Dialer | undefined {
    return this.sources.find((s) => s.source.hostId === host)?.dialer;
  }

  onLabsChanged(listener: (labs: Lab[]) => void): () => void {
    return this.emitter.on('labs', listener);
  }

  onHostsChanged(listener: (hosts: LabHostStatus[]) => void): () => void {
    return this.emitter.on('hosts', listener);
  }

  async dispose(): Promise<void> {
    this.unsubs.forEach((u) => u());
    for (const { source } of [...this.sources].reverse()) await source.dispose();
    this.emitter.clear();
  }
}
