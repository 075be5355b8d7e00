import type { ListCasesInput, ListCasesOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function ListCases(_input: ListCasesInput, _ctx: RequestContext): Promise<ListCasesOutput> {
  throw ApiError.notImplemented('ListCases');
}
