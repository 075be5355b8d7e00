import type { ListNotificationsInput, ListNotificationsOutput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function ListNotifications(_input: ListNotificationsInput, _ctx: RequestContext): Promise<ListNotificationsOutput> {
  throw ApiError.notImplemented('ListNotifications');
}
