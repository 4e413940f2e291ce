import type { ErrorCode, RpcError } from './contract';

/** An error meant for the user: code, message, and what to do about it. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toRpc(): RpcError {
    return { code: this.code, message: this.message, hint: this.hint, field: this.field };
  }
}

/** JSON-RPC 2.0 numeric codes for our error codes. */
export const JSON_RPC_CODES: Record<ErrorCode, number> = {
  invalid_params: -32602,
  method_not_found: -32601,
  not_found: -32004,
  conflict: -32009,
  unavailable: -32003,
  refused: -32001,
  unauthorized: -32401,
  rate_limited: -32429,
  internal: -32603,
};
