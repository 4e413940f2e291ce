/**
 * containerlab's environment expansion, applied to the raw topology text before YAML parsing.
 * containerlab runs github.com/hellt/envsubst in its "no replace" mode, so we follow that
 * library rather than a shell:
 * - `${VAR}` and `$VAR` take the value; unset and without a default they stay exactly as
 *   written (a lab's `$MYVAR` meant for a shell inside a node survives).
 * - `${VAR:-d}` / `${VAR:=d}`: the value when set and non-empty, else `d`; `${VAR-d}` /
 *   `${VAR=d}`: the value when set (even empty), else `d`; `${VAR+x}` / `${VAR:+x}`: `x` when
 *   set, else nothing. A default is taken literally (`${P:=""}` gives the two quote
 *   characters, which YAML then reads as an empty string) after expanding `$VAR`s inside it.
 * - `$$` is an escaped `$`; `$1` / `${1}` (a digit first) are left alone.
 * Where containerlab would stop with "closing brace expected" we keep the text: the YAML
 * parser or the publish grammar then point at it with a location.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export interface Expansion {
  text: string;
  /** The offset in the original text that produced `offset` of `text` (for locations). */
  toSource(offset: number): number;
}

const NAME = /[\p{L}\p{N}_]+/uy;
const DIGIT = /\p{N}/u;
const OPERATORS = [':-', ':=', ':+', '-', '=', '+'] as const;

export function expandEnv(text: string, env: Env): string {
  return expandEnvMapped(text, env).text;
}

export function expandEnvMapped(text: string, env: Env): Expansion {
  const out = new OutputMap();
  const close = closingBraces(text);
  let i = 0;
  while (i < text.length) {
    const j = text.indexOf('$', i);
    if (j < 0) break;
    out.literal(text, i, j);
    i = expandAt(text, j, env, out, close);
  }
  out.literal(text, i, text.length);
  return { text: out.text, toSource: (offset) => out.toSource(offset) };
}

/** Expands the `$` at `j`; returns where scanning continues. */
function expandAt(text: string, j: number, env: Env, out: OutputMap, close: ClosingBrace): number {
  const next = text[j + 1];
  if (next === '$') {
    out.literal(text, j + 1, j + 2);
    return j + 2;
  }
  if (next !== undefined && DIGIT.test(next)) {
    out.literal(text, j, j + 2);
    return j + 2;
  }
  if (next === '{') return expandBraced(text, j, env, out, close);
  const name = nameAt(text, j + 1);
  if (!name || name === '_') {
    out.literal(text, j, j + 1);
    return j + 1;
  }
  const end = j + 1 + name.length;
  const value = env[name];
  if (value === undefined) out.literal(text, j, end);
  else out.value(value, j);
  return end;
}

function expandBraced(text: string, j: number, env: Env, out: OutputMap, closingBrace: ClosingBrace): number {
  const name = nameAt(text, j + 2);
  const close = closingBrace(j + 2);
  if (!name || name === '_' || DIGIT.test(name[0]) || close < 0) {
    out.literal(text, j, j + 2);
    return j + 2;
  }
  const rest = text.slice(j + 2 + name.length, close);
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (!op && rest !== '') {
    // `${VAR junk}` is no expression containerlab knows: keep it for the parser to show.
    out.literal(text, j, j + 2);
    return j + 2;
  }
  const arg = op ? rest.slice(op.length) : '';
  const value = env[name];
  const set = value !== undefined;
  let result: string | undefined;
  if (!op) result = value;
  else if (op === '-' || op === '=') result = set ? value : expandEnv(arg, env);
  else if (op === ':-' || op === ':=') result = set && value !== '' ? value : expandEnv(arg, env);
  else result = set ? expandEnv(arg, env) : '';
  if (result === undefined) out.literal(text, j, close + 1);
  else out.value(result, j);
  return close + 1;
}

function nameAt(text: string, at: number): string | undefined {
  NAME.lastIndex = at;
  return NAME.exec(text)?.[0];
}

/** The `}` closing an expression that starts at `from`, or -1. */
type ClosingBrace = (from: number) => number;

/**
 * The `}` closing an expression, on the same line (envsubst does not look further), for
 * questions asked in increasing `from` order (the scan goes left to right). The answer for
 * one `from` holds for every later `from` up to where that scan stopped, so each character
 * is looked at once: a 200 KB line of `${a${a${a…` is one pass, not one pass per `$`.
 */
function closingBraces(text: string): ClosingBrace {
  let stoppedAt = -1;
  let answer = -1;
  return (from) => {
    if (from <= stoppedAt) return answer;
    let k = from;
    for (; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c === 0x7d /* } */ || c === 0x0a || c === 0x0d) break;
    }
    stoppedAt = k;
    answer = k < text.length && text.charCodeAt(k) === 0x7d ? k : -1;
    return answer;
  };
}

/** The expanded text, and for each piece of it where it came from in the original. */
class OutputMap {
  private parts: string[] = [];
  private length = 0;
  // Parallel arrays: output start, source start, and whether the piece is copied text
  // (offsets map one to one) or a substituted value (all of it maps to the `$`).
  private readonly outStarts: number[] = [];
  private readonly srcStarts: number[] = [];
  private readonly copied: boolean[] = [];

  get text(): string {
    if (this.parts.length > 1) this.parts = [this.parts.join('')];
    return this.parts[0] ?? '';
  }

  literal(source: string, from: number, to: number): void {
    if (to > from) this.push(source.slice(from, to), from, true);
  }

  value(value: string, at: number): void {
    this.push(value, at, false);
  }

  toSource(offset: number): number {
    let lo = 0;
    let hi = this.outStarts.length - 1;
    if (hi < 0) return offset;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.outStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.copied[lo] ? this.srcStarts[lo] + (offset - this.outStarts[lo]) : this.srcStarts[lo];
  }

  private push(piece: string, src: number, copied: boolean): void {
    this.parts.push(piece);
    this.outStarts.push(this.length);
    this.srcStarts.push(src);
    this.copied.push(copied);
    this.length += piece.length;
  }
}
