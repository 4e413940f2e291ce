/**
 * A topology file that cannot be used at all: unreadable, not YAML, an unrendered Go template,
 * missing what every topology has, or beyond what any topology costs to read (`limit`:
 * too large, too slow, an alias or merge-key fan-out). Problems with single publish entries are diagnostics in
 * the report instead, so one bad entry never hides the good ones.
 */
export type TopologyFileErrorKind = 'read' | 'yaml' | 'template' | 'shape' | 'limit';

export interface TopologyFileErrorInit {
  kind: TopologyFileErrorKind;
  message: string;
  file: string;
  /** 1-based; absent when the problem has no place in the file (it could not be read). */
  line?: number;
  column?: number;
  /** One line: what to do about it. */
  hint: string;
  /** The text at the location (a template block, a YAML line). */
  text?: string;
}

export class TopologyFileError extends Error {
  override readonly name = 'TopologyFileError';
  readonly kind: TopologyFileErrorKind;
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly hint: string;
  readonly text?: string;

  constructor(init: TopologyFileErrorInit, options?: { cause?: unknown }) {
    super(init.message, options);
    this.kind = init.kind;
    this.file = init.file;
    this.line = init.line;
    this.column = init.column;
    this.hint = init.hint;
    this.text = init.text;
  }

  /** `file:line:column`, as compilers print it. */
  get where(): string {
    return this.line ? `${this.file}:${this.line}:${this.column ?? 1}` : this.file;
  }

  /** Plain data for JSON (the UI and `check --json`); Error's own fields do not serialise. */
  toJSON(): TopologyFileErrorInit {
    const { kind, message, file, line, column, hint, text } = this;
    return { kind, message, file, line, column, hint, text };
  }
}
