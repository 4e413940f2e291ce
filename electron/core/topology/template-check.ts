/**
 * Go template blocks (`{{ ... }}`). containerlab renders every topology as a Go template (with
 * an optional `<name>_vars.yaml` beside it) before reading it; we do not render. A template
 * that is not YAML until rendered is a located error that says so; one that parses anyway
 * (its blocks sit inside quoted strings) loads with a warning, because its values may not be
 * the ones containerlab would see.
 */
import type { TopologyDiagnostic } from '../../../shared/topology-model';
import type { SourceLocator } from './source-locator';
import { TopologyFileError } from './topology-file-error';

export interface TemplateBlock {
  /** Offset in the original text. */
  offset: number;
  /** The block, `{{` to `}}` (or to the end of its line when unclosed). */
  text: string;
}

export function firstTemplateBlock(original: string): TemplateBlock | undefined {
  const offset = original.indexOf('{{');
  if (offset < 0) return undefined;
  const close = original.indexOf('}}', offset + 2);
  const eol = original.slice(offset).search(/\r?\n/);
  const lineEnd = eol < 0 ? original.length : offset + eol;
  const end = close >= 0 && close < lineEnd ? close + 2 : lineEnd;
  return { offset, text: original.slice(offset, end) };
}

const RENDER_HINT =
  'clab-publisher does not render Go templates: render it first (containerlab does it at deploy time, with the variables file <name>_vars.yaml beside it) and check or open the rendered file';

/** The error for a template that is not YAML until rendered. */
export function templateError(block: TemplateBlock, locator: SourceLocator, yamlProblem: string): TopologyFileError {
  const { file, line, column } = locator.atOriginal(block.offset);
  return new TopologyFileError({
    kind: 'template',
    file,
    line,
    column,
    text: block.text,
    message: `the file is a Go template (${block.text} at line ${line}) that containerlab renders before reading it, and it is not valid YAML until rendered (${yamlProblem})`,
    hint: RENDER_HINT,
  });
}

/** The warning for a template whose blocks did not stop YAML parsing. */
export function templateWarning(block: TemplateBlock, locator: SourceLocator): TopologyDiagnostic {
  return {
    ...locator.atOriginal(block.offset),
    severity: 'warning',
    text: block.text,
    message: 'the file contains Go template blocks that containerlab renders before reading it; they were read as literal text',
    hint: 'values that depend on template variables may differ from the deployed lab: check the rendered file if they matter',
  };
}
