import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/rpc-errors';
import type { Share } from '../../../shared/share-model';
import { createShareLogins } from './share-login';
import { secretName } from './share-service';

const share: Share = {
  id: 'sh1',
  host: 'local',
  lab: 'demo',
  title: 'Demo',
  ports: [
    { node: 'srl1', port: 22, kind: 'nokia_srlinux' },
    { node: 'srv', port: 22, kind: 'linux' },
    { node: 'own', port: 22, kind: 'ceos' },
    { node: 'userOnly', port: 22, kind: 'ceos' },
  ],
  createdAt: 0,
  allow: [],
  includeCredentials: false,
  credentials: [
    { node: 'own', user: 'ops', hasPassword: true },
    { node: 'userOnly', user: 'viewer', hasPassword: false },
  ],
  auditLimit: 100,
  state: 'open',
};

const logins = createShareLogins({
  shares: { get: (id) => (id === 'sh1' ? share : (() => { throw new AppError('not_found', `no share with id ${id}`); })()) },
  secrets: { get: (name) => (name === secretName('sh1', 'own') ? 'owner-set-pass' : undefined) },
  labs: { findNode: () => undefined },
});
const at = (node: string) => ({ host: 'local', lab: 'demo', node });

describe('the login a share stores for a node', () => {
  it('owner-set user and password first, then the kind\'s default, then root; "include credentials" plays no part', () => {
    expect(logins('sh1', at('own'))).toEqual({ username: 'ops', password: 'owner-set-pass' });
    expect(logins('sh1', at('userOnly'))).toEqual({ username: 'viewer' });
    expect(logins('sh1', at('srl1'))).toEqual({ username: 'admin', password: 'NokiaSrl1!' });
    expect(logins('sh1', at('srv'))).toEqual({ username: 'root' });
  });

  it('refuses a node the share has no port on, and an unknown share', () => {
    expect(() => logins('sh1', at('elsewhere'))).toThrow(/has no port on node elsewhere/);
    expect(() => logins('sh1', { host: 'local', lab: 'other', node: 'own' })).toThrow(AppError);
    expect(() => logins('nope', at('own'))).toThrow(/no share/);
  });
});
