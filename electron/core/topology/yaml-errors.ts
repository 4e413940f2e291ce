/**
 * A YAML syntax error as a located TopologyFileError with a hint in a network engineer's
 * words (the parser's codes are for parser authors).
 */
import type { YAMLError } from 'yaml';
import type { SourceLocator } from './source-locator';
import { TopologyFileError } from './topology-file-error';

const HINTS: Record<string, string> = {
  TAB_AS_INDENT: 'indent with spaces: YAML does not allow tabs for indentation',
  BAD_INDENT: 'check the indentation: items of one map or list start in the same column',
  DUPLICATE_KEY: 'each key may appear once in a map: remove or rename the second one (containerlab refuses duplicates too)',
  MISSING_CHAR: 'a quote or bracket is not closed: close it on the same line',
  BLOCK_AS_IMPLICIT_KEY: 'check the indentation and the ": " after each key',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line: check for a missing ": " or a stray line',
  UNEXPECTED_TOKEN: 'remove or quote the character shown',
  BAD_ALIAS: 'define the anchor (&name) before using it (*name)',
  MULTIPLE_DOCS: 'a topology is one YAML document: remove the "---" line and what follows, or split the file',
};

/** The parser's first line without its " at line L, column C:" tail (we locate it ourselves). */
export function yamlProblemText(err: YAMLError): string {
  return err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

export function yamlError(err: YAMLError, locator: SourceLocator): TopologyFileError {
  const { file, line, column } = locator.at(err.pos[0]);
  return new TopologyFileError({
    kind: 'yaml',
    file,
    line,
    column,
    text: locator.lineText(line),
    message: `not valid YAML: ${yamlProblemText(err)}`,
    hint: HINTS[err.code] ?? 'fix the YAML at this spot (an editor with YAML support shows it), then check again',
  });
}
