/**
 * A large topology for the check benchmark: 500 nodes whose effective publish lists come from
 * every inheritance level (node, group, kind, defaults), two entries each: 1,000 entries.
 */
export type BenchGrammar = 'mysocketio' | 'border0';

const TYPES: Record<BenchGrammar, { plain: string[]; access: (i: number) => string }> = {
  // border0: ssh/tls/http/https, access lists name policies.
  border0: { plain: ['ssh/22', 'tls/57400', 'http/80', 'https/443'], access: (i) => `policy-${i % 7},ops` },
  // mysocketio: tcp/tls/http/https, access lists hold emails and domains (tcp then becomes tls).
  mysocketio: { plain: ['tcp/22', 'tls/57400', 'http/80', 'https/443'], access: (i) => `user${i}@example.com,example.org` },
};

export function largeTopology(grammar: BenchGrammar, nodes = 500): { text: string; expectedEntries: number } {
  const t = TYPES[grammar];
  const [a, b, c, d] = t.plain;
  const lines = [
    `name: bench-${grammar}`,
    'topology:',
    '  defaults:',
    '    kind: linux',
    '    image: alpine:3',
    '    publish:',
    `      - ${a}`,
    `      - ${b}/${t.access(0)}`,
    '  kinds:',
    '    nokia_srlinux:',
    '      image: ghcr.io/nokia/srlinux:24.10',
    '      publish:',
    `      - ${b}`,
    `      - ${d}/${t.access(1)}`,
    '  groups:',
    '    web:',
    '      image: nginx:stable-alpine',
    '      publish:',
    `      - ${c}`,
    `      - ${d}`,
    '  nodes:',
  ];
  for (let i = 0; i < nodes; i++) {
    lines.push(`    node${i}:`);
    if (i % 4 === 0) lines.push('      kind: nokia_srlinux');
    else if (i % 4 === 1) lines.push('      group: web');
    else if (i % 4 === 2) lines.push('      publish:', `        - ${a.split('/')[0]}/${1000 + i}`, `        - ${c.split('/')[0]}/${20000 + i}/${t.access(i)}`);
    // i % 4 === 3: everything from defaults.
  }
  return { text: `${lines.join('\n')}\n`, expectedEntries: nodes * 2 };
}
