import type { IngestRagDocumentInput, IngestRagDocumentOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function IngestRagDocument(_input: IngestRagDocumentInput, _ctx: RequestContext): Promise<IngestRagDocumentOutput> {
  throw ApiError.notImplemented('IngestRagDocument');
}
