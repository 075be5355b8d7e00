import type { ErrorEnvelope } from '../../generated/schemas';
import type { ErrorCode } from '../../generated/contract';
import { isoNow } from './time';

export interface SuccessEnvelopeOf<T> {
  status: 'SUCCESS';
  message: string;
  data: T;
  success: true;
  timestamp: string;
  traceId?: string;
}

export function ok<T>(data: T, message = 'OK', traceId?: string): SuccessEnvelopeOf<T> {
  const env: SuccessEnvelopeOf<T> = { status: 'SUCCESS', message, data, success: true, timestamp: isoNow() };
  if (traceId) env.traceId = traceId;
  return env;
}

export function errorEnvelope(code: ErrorCode, message: string, data: unknown = null, traceId?: string): ErrorEnvelope {
  const env: ErrorEnvelope = { status: 'ERROR', message, data, success: false, timestamp: isoNow(), errorCode: code };
  if (traceId) env.traceId = traceId;
  return env;
}
