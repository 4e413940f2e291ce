/**
 * Turns offsets in the env-expanded text (what the YAML parser saw) into 1-based line and
 * column of the file as written, so every location matches what the user's editor shows.
 */
import type { SourceLocation } from '../../../shared/topology-model';
import type { Expansion } from './env-expand';

export class SourceLocator {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly file: string,
    readonly original: string,
    private readonly expansion: Pick<Expansion, 'toSource'>,
  ) {
    for (let i = 0; i < original.length; i++) {
      const c = original.charCodeAt(i);
      // \r\n counts once; a lone \r ends a line too (YAML says so).
      if (c === 10 || (c === 13 && original.charCodeAt(i + 1) !== 10)) this.lineStarts.push(i + 1);
    }
  }

  /** Location of an offset in the expanded text. */
  at(expandedOffset: number): SourceLocation {
    return this.atOriginal(this.expansion.toSource(Math.max(0, expandedOffset)));
  }

  /** Location of an offset in the original text. */
  atOriginal(offset: number): SourceLocation {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  /** The original line `line` (1-based), without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1] ?? this.original.length;
    const end = this.lineStarts[line] ?? this.original.length;
    return this.original.slice(start, end).replace(/\r?\n$|\r$/, '');
  }
}
