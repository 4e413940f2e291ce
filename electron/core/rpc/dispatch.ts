import { z } from 'zod';
import type { Envelope, MethodName, ParamsOut, Result } from '../../../shared/contract';
import { methods } from '../../../shared/contract';
import { AppError } from '../../../shared/rpc-errors';
import type { Logger } from '../logs/logger';

export type Handlers = { [M in MethodName]: (params: ParamsOut<M>) => Promise<Result<M>> | Result<M> };

/**
 * The one wrapper every transport (Electron IPC, JSON-RPC over WebSocket) goes through:
 * unknown method → error, parameters parsed with the contract's schema (the caller is
 * untrusted), handler errors turned into `{code, message, hint}` without stack traces.
 */
export function createDispatcher(handlers: Handlers, log: Logger) {
  return async function dispatch(method: string, rawParams: unknown): Promise<Envelope<unknown>> {
    if (!Object.prototype.hasOwnProperty.call(methods, method)) {
      return { ok: false, error: { code: 'method_not_found', message: `unknown method "${method}"`, hint: 'call rpc.discover for the list of methods' } };
    }
    const m = method as MethodName;
    const parsed = methods[m].params.safeParse(rawParams ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join('.') || undefined;
      return {
        ok: false,
        error: {
          code: 'invalid_params',
          message: `${method}: ${field ? `"${field}" ` : ''}${issue.message}`,
          field,
          hint: 'see rpc.discover for the parameter schema',
        },
      };
    }
    try {
      const handler = handlers[m] as (p: unknown) => Promise<unknown>;
      return { ok: true, result: await handler(parsed.data) };
    } catch (err) {
      if (err instanceof AppError) return { ok: false, error: err.toRpc() };
      log.error(`${method} failed unexpectedly`, { error: String((err as Error)?.message ?? err) });
      return { ok: false, error: { code: 'internal', message: `${method} failed: ${(err as Error)?.message ?? String(err)}` } };
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;

/** `rpc.discover`'s answer: every method with the JSON Schema of its parameters. */
export function describeMethods() {
  return Object.entries(methods).map(([name, m]) => ({
    name,
    description: '',
    params: z.toJSONSchema(m.params, { io: 'input', unrepresentable: 'any' }),
  }));
}
