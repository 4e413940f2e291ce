/** What planning an edit needs: the file's text and its parsed nodes around the node to change. */
import type { Document, Pair, YAMLMap } from 'yaml';

export interface PlanInput {
  text: string;
  eol: string;
  doc: Document.Parsed;
  /** `topology.nodes`. */
  nodes: YAMLMap;
  /** The node's `name: value` pair in `topology.nodes`. */
  pair: Pair;
  node: string;
  /** Values to append, in order: copied inherited entries, then the new entry. */
  items: string[];
  /** A comment line (`# ...`) to place above the list, when inherited entries are copied. */
  comment?: string;
}
