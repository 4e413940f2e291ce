import type { ErrorCode, RpcError } from '../../shared/contract';

/** What went wrong and what to do about it, as a form or a toast shows it. */
export interface Problem {
  message: string;
  hint?: string;
}

/** An error from the core, as views see it whichever transport carried it. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, hint?: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.hint = hint;
    this.field = field;
  }

  static fromRpc(e: RpcError): ApiError {
    return new ApiError(e.code, e.message, e.hint, e.field);
  }

  /** Anything thrown (ApiError, Error, string) as message + hint for a toast. */
  static describe(err: unknown): Problem {
    if (err instanceof ApiError) return { message: err.message, hint: err.hint };
    if (err instanceof Error) return { message: err.message };
    return { message: String(err) };
  }
}

export const notConnected = () =>
  new ApiError('unavailable', 'Not connected to the clab-publisher host', 'The app reconnects by itself; try again in a moment.');
