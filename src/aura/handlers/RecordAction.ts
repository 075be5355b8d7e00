import type { RecordActionInput, RecordActionOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function RecordAction(_input: RecordActionInput, _ctx: RequestContext): Promise<RecordActionOutput> {
  throw ApiError.notImplemented('RecordAction');
}
