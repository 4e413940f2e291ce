import { describe, expect, it } from 'vitest';
import { emptyDefinition, type Definition } from './definition';
import { helperTokenFile } from './helper-nodes';
import { bindDestination, resolveNode, type TopologyDefinitions } from './inheritance';

const def = (level: Definition['level'], name: string, fields: Partial<Definition> = {}): Definition => ({ ...emptyDefinition(level, name, 0), ...fields });
const list = (level: Definition['level'], owner: string, ...texts: string[]) => ({ level, owner, at: 0, items: texts.map((text, at) => ({ text, at })) });

const topo: TopologyDefinitions = {
  defaults: def('defaults', 'defaults', {
    kind: 'linux',
    env: { A: 'defaults', B: 'defaults' },
    labels: { team: 'net' },
    binds: ['/d/a:/a', '/d/shared:/shared'],
    publish: list('defaults', 'defaults', 'tcp/22'),
  }),
  kinds: new Map([['srl', def('kind', 'srl', { env: { B: 'kind', C: 'kind' }, binds: ['/k/shared:/shared:ro'], image: 'srl:1', publish: list('kind', 'srl') })]]),
  groups: new Map([['g', def('group', 'g', { kind: 'srl', env: { C: 'group' }, labels: { tier: 'core' }, publish: list('group', 'g', 'http/80', 'https/443') })]]),
};

describe('resolveNode', () => {
  it('merges env and labels from defaults to node, the more specific key winning', () => {
    const n = resolveNode(def('node', 'n1', { group: 'g', env: { D: 'node', A: 'node' } }), topo);
    expect(n.env).toEqual({ A: 'node', B: 'kind', C: 'group', D: 'node' });
    expect(n.labels).toEqual({ team: 'net', tier: 'core' });
  });

  it('merges binds by destination, the more specific one replacing the other', () => {
    const n = resolveNode(def('node', 'n1', { group: 'g', binds: ['/n/a:/a'] }), topo);
    expect(n.binds).toEqual(['/n/a:/a', '/k/shared:/shared:ro']);
    expect(bindDestination('/x:/y:ro')).toBe('/y');
    expect(bindDestination('/anonymous')).toBe('/anonymous');
  });

  it('takes the kind from the group, and skips an empty publish list for the next level', () => {
    const inGroup = resolveNode(def('node', 'n1', { group: 'g' }), topo);
    expect([inGroup.kind, inGroup.image, inGroup.publish?.from, inGroup.publish?.list.items.length]).toEqual(['srl', 'srl:1', 'group', 2]);
    // kind srl has an empty list: containerlab takes the next non-empty one (defaults).
    const ofKind = resolveNode(def('node', 'n2', { kind: 'srl' }), topo);
    expect([ofKind.publish?.from, ofKind.publish?.list.items.map((i) => i.text)]).toEqual(['defaults', ['tcp/22']]);
    const own = resolveNode(def('node', 'n3', { publish: list('node', 'n3', 'tls/57400') }), topo);
    expect(own.publish?.from).toBe('node');
  });
});

describe('helperTokenFile', () => {
  it('prefers the well-known token file names and resolves relative paths beside the topology', () => {
    expect(helperTokenFile(['cfg:/etc/token', '.mysocketio_token:/root/.mysocketio_token'], '/labs/a/a.clab.yml')).toBe('/labs/a/.mysocketio_token');
    expect(helperTokenFile(['secrets/tok:/root/token'], '/labs/a/a.clab.yml')).toBe('/labs/a/secrets/tok');
    expect(helperTokenFile(['~/.border0/token:/root/.border0_token'], '/labs/a/a.clab.yml')).toBe('~/.border0/token');
    expect(helperTokenFile(['/data:/data'], '/labs/a/a.clab.yml')).toBeUndefined();
  });
});
