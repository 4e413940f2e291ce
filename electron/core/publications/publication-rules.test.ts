import { describe, expect, it } from 'vitest';
import { methods } from '../../../shared/contract';
import type { Publication, ProviderInfo } from '../../../shared/model';
import { capabilities, PROVIDER_CAPABILITIES } from '../../../shared/provider-capabilities';
import { AppError } from '../../../shared/rpc-errors';
import { checkPublication, type RuleContext } from './publication-rules';

const provider = (kind: ProviderInfo['kind'], caps = PROVIDER_CAPABILITIES[kind]): ProviderInfo => ({
  id: kind,
  kind,
  label: kind,
  configured: true,
  capabilities: caps,
  settings: {},
  connection: { state: 'connected' },
});
const providers: Record<string, ProviderInfo> = {
  local: provider('local'),
  border0: provider('border0'),
  narrow: { ...provider('ssh', capabilities(['tcp'], { accessControl: false, choosePort: true, unavailable: { http: 'the relay has no HTTP front' } })), id: 'narrow', label: 'narrow' },
};
const ctx = (existing: Publication[] = []): RuleContext => ({
  hosts: ['local', 'lab2'],
  existing,
  provider: (id) => {
    const p = providers[id];
    if (!p) throw new AppError('not_found', `no provider "${id}"`);
    return p;
  },
});
const params = (over: Record<string, unknown> = {}) => methods['publications.add'].params.parse({ lab: 'lab1', node: 'r1', port: 22, type: 'tcp', ...over });

/** Matches the AppError a rule throws, by the fields that tell the UI what went wrong. */
const refused = (fields: Partial<AppError>) => expect.objectContaining(fields);

describe('publication rules', () => {
  it('passes a plain publication, trimming the access list and leaving the kind unset without one', () => {
    const ok = checkPublication(params({ access: [' ', '  '] }), ctx());
    expect(ok).toMatchObject({ access: [], accessKind: undefined, publicPort: undefined, provider: { id: 'local' } });
  });

  it('refuses an unknown lab host, naming the known ones', () => {
    expect(() => checkPublication(params({ host: 'nope' }), ctx())).toThrow(
      refused({ code: 'not_found', field: 'host', message: 'unknown lab host "nope"', hint: 'known hosts: local, lab2' }),
    );
  });

  it('refuses the same node port twice, on the same host only', () => {
    const first = { id: 'p1', host: 'local', lab: 'lab1', node: 'r1', port: 22, type: 'tcp', provider: 'local' } as Publication;
    expect(() => checkPublication(params({ type: 'tls' }), ctx([first]))).toThrow(/already published as clab-r1-tcp-22 \(id p1, via local\)/);
    expect(() => checkPublication(params({ host: 'lab2' }), ctx([first]))).not.toThrow();
  });

  it('takes TCP and UDP of one port number as two ports, each published once', () => {
    const tcp = { id: 'p1', host: 'local', lab: 'lab1', node: 'r1', port: 161, type: 'tcp', provider: 'local' } as Publication;
    expect(() => checkPublication(params({ port: 161, type: 'udp' }), ctx([tcp]))).not.toThrow();
    const udp = { ...tcp, id: 'p2', type: 'udp' } as Publication;
    expect(() => checkPublication(params({ port: 161, type: 'udp' }), ctx([tcp, udp]))).toThrow(
      refused({ code: 'conflict', message: 'lab1/r1 UDP port 161 is already published as clab-r1-udp-161 (id p2, via local)' }),
    );
  });

  it('refuses udp through border0 with the reason its capabilities give', () => {
    expect(PROVIDER_CAPABILITIES.border0.unavailable.udp).toMatch(/TCP only/);
    expect(() => checkPublication(params({ port: 161, type: 'udp', provider: 'border0' }), ctx())).toThrow(refused({ code: 'invalid_params', field: 'type' }));
    expect(() => checkPublication(params({ port: 161, type: 'udp', provider: 'local' }), ctx())).not.toThrow();
  });

  it('refuses a type the provider does not carry, listing the ones it does', () => {
    expect(() => checkPublication(params({ type: 'http', provider: 'narrow' }), ctx())).toThrow(refused({ code: 'invalid_params', field: 'type', hint: 'choose one of: tcp' }));
  });

  it('never publishes open what was asked to be restricted; keeps the list where it is enforced', () => {
    expect(() => checkPublication(params({ access: ['alice@example.com'] }), ctx())).toThrow(refused({ code: 'refused', field: 'access' }));
    const ok = checkPublication(params({ provider: 'border0', access: [' alice@example.com ', 'example.org'] }), ctx());
    expect(ok).toMatchObject({ access: ['alice@example.com', 'example.org'], accessKind: 'emails-domains' });
    expect(checkPublication(params({ provider: 'border0', access: ['ops'], accessKind: 'policies' }), ctx()).accessKind).toBe('policies');
  });

  it('lets only providers that take one choose the public port', () => {
    expect(() => checkPublication(params({ provider: 'border0', publicPort: 4000 }), ctx())).toThrow(refused({ code: 'invalid_params', field: 'publicPort' }));
    expect(checkPublication(params({ publicPort: 4000 }), ctx()).publicPort).toBe(4000);
    expect(checkPublication(params({ publicPort: 0 }), ctx()).publicPort).toBeUndefined();
  });
});

describe('provider capabilities', () => {
  it('give a reason for every type a provider leaves out, and none for what it carries', () => {
    const narrow = providers.narrow.capabilities;
    expect(narrow.unavailable).toEqual({ tls: 'not offered by this provider', http: 'the relay has no HTTP front', https: 'not offered by this provider', ssh: 'not offered by this provider', udp: 'not offered by this provider' });
    for (const caps of Object.values(PROVIDER_CAPABILITIES)) expect(Object.keys(caps.unavailable ?? {}).filter((t) => caps.types.includes(t as never))).toEqual([]);
  });
});
