import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandEnv, expandEnvMapped } from './env-expand';

const env = { BAR: 'bar', FOO: 'foo', EMPTY: '', PORT: '57400' };

describe('expandEnv', () => {
  it('replaces set variables, braced and bare', () => {
    expect(expandEnv('${BAR}baz', env)).toBe('barbaz');
    expect(expandEnv('$BAR - $FOO', env)).toBe('bar - foo');
    expect(expandEnv('$BAR$FOO', env)).toBe('barfoo');
    expect(expandEnv('x: ${EMPTY}.', env)).toBe('x: .');
  });

  it('leaves an unset variable without default exactly as written', () => {
    expect(expandEnv('image: nokia_srsim:${SRSIM_IMAGE_TAG}', env)).toBe('image: nokia_srsim:${SRSIM_IMAGE_TAG}');
    expect(expandEnv('cmd: ash -c "echo $MYVAR > /tmp/var"', env)).toBe('cmd: ash -c "echo $MYVAR > /tmp/var"');
    expect(expandEnv('Stuff$ToIgnore!d', env)).toBe('Stuff$ToIgnore!d');
  });

  it(':= and :- take the default when unset or empty', () => {
    expect(expandEnv('${NOTSET:=ghcr.io/nokia/srlinux}:${SRL_VERSION:=latest}', env)).toBe('ghcr.io/nokia/srlinux:latest');
    expect(expandEnv('${EMPTY:-d}', env)).toBe('d');
    expect(expandEnv('${EMPTY:=d}', env)).toBe('d');
    expect(expandEnv('${BAR:=d}', env)).toBe('bar');
    expect(expandEnv('${NOTSET:-$BAR}', env)).toBe('bar');
  });

  it('keeps a default literally, quotes included (prefix: ${CLAB_PREFIX:=""} gives prefix: "")', () => {
    expect(expandEnv('prefix: ${CLAB_PREFIX:=""}', {})).toBe('prefix: ""');
    expect(expandEnv('prefix: ${CLAB_PREFIX:=""}', { CLAB_PREFIX: 'lab' })).toBe('prefix: lab');
  });

  it('- and = take the default only when unset; + and :+ give the alternative when set', () => {
    expect(expandEnv('${EMPTY-d}|${NOTSET-d}|${EMPTY=d}|${NOTSET=d}', env)).toBe('|d||d');
    expect(expandEnv('${EMPTY+x}|${BAR:+x}|${NOTSET+x}|${NOTSET:+x}', env)).toBe('x|x||');
  });

  it('honours $$ escapes and leaves digit variables alone', () => {
    expect(expandEnv('FOO $$BAR BAZ', env)).toBe('FOO $BAR BAZ');
    expect(expandEnv('FOO $${BAR} BAZ', env)).toBe('FOO ${BAR} BAZ');
    expect(expandEnv('$$$BAR', env)).toBe('$bar');
    expect(expandEnv('password: $1$abc and ${1}', env)).toBe('password: $1$abc and ${1}');
  });

  it('keeps what envsubst cannot read instead of failing', () => {
    expect(expandEnv('a ${ b', env)).toBe('a ${ b');
    expect(expandEnv('a ${BAR\n}', env)).toBe('a ${BAR\n}');
    expect(expandEnv('${_} $_ $ {} ${BAR x}', env)).toBe('${_} $_ $ {} ${BAR x}');
    expect(expandEnv('price: 5$', env)).toBe('price: 5$');
  });

  it('is the identity on text without $', () => {
    fc.assert(fc.property(fc.string().filter((s) => !s.includes('$')), (s) => expandEnv(s, env) === s));
  });

  it('never throws, and with nothing set and no defaults only $$ changes the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('$', '{', '}', 'A', '1', '_', '\n', ' ', 'x') }), (s) => {
        expect(expandEnv(s, {})).toBe(s.replace(/\$\$/g, '$'));
      }),
    );
  });
});

describe('expandEnvMapped', () => {
  it('maps offsets after a substitution back to the original text', () => {
    const src = '- tcp/${PORT}/a,,b';
    const { text, toSource } = expandEnvMapped(src, env);
    expect(text).toBe('- tcp/57400/a,,b');
    const at = text.indexOf(',,') + 1;
    expect(src[toSource(at)]).toBe(',');
    expect(toSource(at)).toBe(src.indexOf(',,') + 1);
    // Inside a substituted value: the `$` that produced it.
    expect(toSource(text.indexOf('57400') + 2)).toBe(src.indexOf('$'));
    expect(toSource(0)).toBe(0);
  });
});

describe('hostile input', () => {
  // A hang detector, not a speed measurement: one pass over 200 KB takes milliseconds; the
  // scan that looked for a `}` from every `$` again took 11 s on this line.
  it('scans a 200 KB line of unclosed ${a once, not once per $', () => {
    const line = '${a'.repeat(70_000);
    const started = performance.now();
    expect(expandEnv(line, { a: 'x' })).toBe(line);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('expands closed expressions among unclosed ones on a long line', () => {
    const line = '${a'.repeat(1000) + '${b}' + '${a'.repeat(1000);
    expect(expandEnv(line, { b: 'B' })).toBe('${a'.repeat(999) + '${aB' + '${a'.repeat(1000));
  });
});
