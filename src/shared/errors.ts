import { ERROR_CODES, type ErrorCode } from '../../generated/contract';

export interface FieldError {
  field: string;
  message: string;
  keyword?: string;
}

/**
 * An error that becomes the error envelope. `status` defaults to the code's status in the
 * contract; a few answers (413, 415, 501, 503) keep the code but use a more precise status.
 */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly data: unknown = null,
    status?: number,
  ) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'ApiError';
    this.status = status ?? ERROR_CODES[code].status;
  }

  static validation(errors: FieldError[]): ApiError {
    return new ApiError('E4000', 'Validation failed', { errors });
  }

  static notImplemented(operationId: string): ApiError {
    return new ApiError('E1000', `${operationId} is not implemented yet`, null, 501);
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
