import type { IngestRagDocumentInput, IngestRagDocumentOutput } from '../../../generated/server/operations';
import { ok } from '../../shared/envelope';
import { caller, type RequestContext } from '../../shared/http/service-app';
import { newId } from '../../shared/ids';
import { ragStatusNotification } from '../notifications/messages';
import type { NotificationPublisher } from '../notifications/publisher';
import type { RagStore } from '../rag/rag-store';

export function makeIngestRagDocument(deps: { rag: Pick<RagStore, 'ingest'>; notifications: Pick<NotificationPublisher, 'ragStatus'> }) {
  return async function IngestRagDocument(input: IngestRagDocumentInput, ctx: RequestContext): Promise<IngestRagDocumentOutput> {
    const tenantId = caller(ctx).tenantId;
    const b = input.body;
    const doc = await deps.rag.ingest(tenantId, {
      documentId: b.documentId ?? newId('rag'),
      title: b.title,
      content: b.content,
      ...(b.kind ? { kind: b.kind } : {}),
    });
    await deps.notifications.ragStatus(ragStatusNotification(tenantId, doc.documentId, doc.chunks));
    return { status: 200, body: ok({ ragDocumentId: doc.documentId, chunksAdded: doc.chunks }, '학습 완료', ctx.traceId) };
  };
}
