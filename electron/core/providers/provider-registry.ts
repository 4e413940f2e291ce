import type { ProviderInfo } from '../../../shared/model';
import { AppError } from '../../../shared/rpc-errors';
import { Emitter } from '../util/emitter';
import type { TunnelProvider } from './provider';

/** All providers by id; one `changed` event when any of them changes. */
export class ProviderRegistry {
  private readonly emitter = new Emitter<{ changed: ProviderInfo[] }>();
  private readonly unsubs: (() => void)[] = [];

  constructor(private readonly providers: TunnelProvider[]) {}

  async start(): Promise<void> {
    for (const p of this.providers) {
      await p.start();
      this.unsubs.push(p.onChanged(() => this.emitter.emit('changed', this.list())));
    }
  }

  get(id: string): TunnelProvider {
    const p = this.providers.find((x) => x.id === id);
    if (!p) throw new AppError('not_found', `no provider "${id}"`, `available: ${this.providers.map((x) => x.id).join(', ')}`, 'provider');
    return p;
  }

  /** Validated settings from `providers.configure`; the provider reconnects with them. */
  async configure({ id, ...settings }: { id: string } & Record<string, unknown>): Promise<void> {
    await this.get(id).configure(settings);
  }

  /** Trusts the host key the provider's server presented (confirmed by the user). */
  async trustHostKey(id: string, fingerprint: string): Promise<void> {
    const p = this.get(id);
    if (!p.trustHostKey) throw noHostKeys(id);
    await p.trustHostKey(fingerprint);
  }

  async forgetHostKey(id: string): Promise<void> {
    const p = this.get(id);
    if (!p.forgetHostKey) throw noHostKeys(id);
    await p.forgetHostKey();
  }

  list(): ProviderInfo[] {
    return this.providers.map((p) => p.info());
  }

  onChanged(listener: (list: ProviderInfo[]) => void): () => void {
    return this.emitter.on('changed', listener);
  }

  async dispose(): Promise<void> {
    this.unsubs.forEach((u) => u());
    for (const p of [...this.providers].reverse()) await p.dispose();
    this.emitter.clear();
  }
}

const noHostKeys = (id: string) => new AppError('invalid_params', `provider ${id} has no host keys`, undefined, 'id');
