/**
 * The audience page's messages as the app checks them (the page's script does not need zod:
 * it imports only the types in shared/audience-protocol.ts).
 */
import { z } from 'zod';
import { MAX_INPUT_CHARS, type ClientMessage } from './audience-protocol';

const sid = z.string().min(1).max(64);
const cols = z.number().int().min(2).max(500);
const rows = z.number().int().min(1).max(300);

export const clientMessage = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('open'), ref: z.number().int().min(0).max(1e9), node: z.string().min(1).max(253), cols, rows }),
  /** After a reconnect: the same session again, with what it printed meanwhile. */
  z.strictObject({ t: z.literal('attach'), ref: z.number().int().min(0).max(1e9), sid, cols, rows }),
  z.strictObject({ t: z.literal('in'), sid, d: z.string().min(1).max(MAX_INPUT_CHARS) }),
  z.strictObject({ t: z.literal('resize'), sid, cols, rows }),
  z.strictObject({ t: z.literal('close'), sid }),
  z.strictObject({ t: z.literal('watch'), on: z.boolean() }),
  z.strictObject({ t: z.literal('ping') }),
]);

// The schema and the type the page is written against must describe the same messages.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _same: Same<z.infer<typeof clientMessage>, ClientMessage> = true;
void _same;
