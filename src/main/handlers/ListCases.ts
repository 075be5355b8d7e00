import type { ListCasesInput, ListCasesOutput } from '../../../generated/server/operations';
import { ok } from '../../shared/envelope';
import { caller, type RequestContext } from '../../shared/http/service-app';
import { caseSummary, type CaseRepo } from '../cases/repo';

export function makeListCases(deps: { cases: CaseRepo }) {
  return async function ListCases(input: ListCasesInput, ctx: RequestContext): Promise<ListCasesOutput> {
    const { tenantId } = caller(ctx);
    const rows = await deps.cases.list(tenantId, input.query.limit ?? 50, input.query.status);
    return { status: 200, body: ok({ items: rows.map(caseSummary) }, 'OK', ctx.traceId) };
  };
}
