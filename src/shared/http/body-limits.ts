// Request-body limits in bytes, by the names `x-body-limit` takes in openapi.yaml (an operation
// without one has the `default`). Which operation accepts which limit is the contract's; how many
// bytes that is, is configuration: these are the services' limits and the gateway's defaults
// (GATEWAY_MAX_BODY_BYTES, GATEWAY_MAX_UPLOAD_BYTES), so the two cannot drift apart.
import type { BodyLimit } from '../../../generated/server/operations';

export type BodyLimits = Readonly<Record<BodyLimit | 'default', number>>;

export const BODY_LIMIT_BYTES: BodyLimits = {
  default: 1024 * 1024,
  // RAG documents.
  upload: 6 * 1024 * 1024,
};
