import type { StreamNotificationsInput } from '../../../generated/server/operations';
import { ApiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service-app';

// Answers 501 in the error envelope until the service issue implements it.
export async function StreamNotifications(_input: StreamNotificationsInput, _ctx: RequestContext): Promise<void> {
  throw ApiError.notImplemented('StreamNotifications');
}
