/**
 * Which publish grammar a file was written for. The two eras share `tls`, `http`, `https` and
 * the `<type>/<port>/<list>` shape, so the file's other clues decide: the helper node it ran,
 * an `ssh` type (border0 only) or an email in an access list (mysocketio only).
 */
import type { PublishGrammar } from '../../../shared/publish-grammar';
import type { HelperKind } from './helper-nodes';

export interface GrammarClues {
  helpers: ReadonlyArray<{ node: string; kind: HelperKind }>;
  /** Every publish entry of the file as written, with its line. */
  entries: ReadonlyArray<{ text: string; line: number }>;
}

export interface GrammarChoice {
  grammar: PublishGrammar;
  source: 'detected' | 'override';
  reason: string;
}

export function detectGrammar(clues: GrammarClues, override?: PublishGrammar): GrammarChoice {
  const detected = detect(clues);
  if (!override) return { ...detected, source: 'detected' };
  const alone = override !== detected.grammar ? `the file alone suggests ${detected.grammar}` : 'the file alone suggests it too';
  return { grammar: override, source: 'override', reason: `override; ${alone}: ${detected.reason}` };
}

function detect({ helpers, entries }: GrammarClues): Omit<GrammarChoice, 'source'> {
  const helper = (kind: HelperKind) => helpers.find((h) => h.kind === kind);
  const b0 = helper('border0');
  if (b0) return { grammar: 'border0', reason: `node ${b0.node} has kind border0` };
  const ms = helper('mysocketio');
  if (ms) return { grammar: 'mysocketio', reason: `node ${ms.node} has kind mysocketio` };
  const ssh = entries.find((e) => e.text.split('/')[0].trim().toLowerCase() === 'ssh');
  if (ssh) return { grammar: 'border0', reason: `entry "${ssh.text}" (line ${ssh.line}) has type ssh, which only the border0 grammar has` };
  const email = entries.find((e) => (e.text.split('/')[2] ?? '').includes('@'));
  if (email) return { grammar: 'mysocketio', reason: `entry "${email.text}" (line ${email.line}) allows an email address, which only the mysocketio grammar has` };
  return { grammar: 'mysocketio', reason: 'no border0 node, no ssh entry, no email in an access list: the original mysocketio grammar' };
}
