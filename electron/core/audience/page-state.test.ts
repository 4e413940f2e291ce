import { describe, expect, it } from 'vitest';
import { AUDIENCE_DEFAULTS } from '../../../shared/audience-model';
import { buildShareCard } from '../../../shared/share-card';
import type { CardPortInput } from '../../../shared/share-card-model';
import { pageStateOf } from './page-state';

const port = (p: Pick<CardPortInput, 'node' | 'kind' | 'port' | 'type'> & Partial<CardPortInput>): CardPortInput => ({
  provider: 'local',
  access: [],
  endpoint: { host: '127.0.0.1', port: 40000 + p.port },
  status: 'online',
  rules: [],
  rulesEnforced: true,
  user: 'root',
  ...p,
});

const pageOf = (ports: CardPortInput[]) =>
  pageStateOf({
    card: buildShareCard({ shareId: 's1', title: 'Demo', host: 'local', lab: 'lab1', state: 'open', includeCredentials: false, ports }),
    attendee: 'Bob',
    settings: AUDIENCE_DEFAULTS,
    nodeInfo: () => ({ kind: 'linux', running: true }),
    now: 0,
  });

describe('the attendee page state', () => {
  it('has an ssh_config only when some SSH port of the share has an address, as the card does', () => {
    expect(pageOf([port({ node: 'n1', kind: 'linux', port: 8080, type: 'http' })]).sshConfig).toBe('');
    expect(pageOf([port({ node: 'n1', kind: 'linux', port: 22, type: 'tcp', endpoint: undefined, status: 'starting' })]).sshConfig).toBe('');
    expect(pageOf([port({ node: 'n1', kind: 'linux', port: 22, type: 'tcp' })]).sshConfig).toContain('Host lab1-n1');
  });
});
