import type { ListHitlRequestsInput, ListHitlRequestsOutput } from '../../../generated/server/operations';
import type * as S from '../../../generated/schemas';
import { ok } from '../../shared/envelope';
import { caller, type RequestContext } from '../../shared/http/service-app';
import { type HitlInboxRepo, inboxItem } from '../workbench-store/hitl-inbox';

/** The approvals inbox: the caller tenant's HITL requests of one status, newest first. */
export function makeListHitlRequests(deps: { inbox: HitlInboxRepo }) {
  return async function ListHitlRequests(input: ListHitlRequestsInput, ctx: RequestContext): Promise<ListHitlRequestsOutput> {
    const { tenantId } = caller(ctx);
    const q = input.query;
    const { rows, next } = await deps.inbox.list({
      tenantId,
      status: q.status ?? 'pending',
      ...(q.caseId !== undefined ? { caseId: q.caseId } : {}),
      ...(q.actionType !== undefined ? { actionType: q.actionType } : {}),
      limit: q.limit ?? 50,
      ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
    });
    const data: S.HitlInboxList = { items: rows.map(inboxItem) };
    if (next !== undefined) data.nextCursor = next;
    return { status: 200, body: ok(data, 'OK', ctx.traceId) };
  };
}
