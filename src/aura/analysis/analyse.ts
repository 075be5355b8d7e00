import type * as S from '../../../generated/schemas';
import type { StreamAnalysisRunEvents } from '../../../generated/server/operations';
import type { RagHit } from '../rag/rag-store';
import { combine, evaluateLine, isTarget, type Line, readLine, type RuleHit, settingsFrom, severityOf } from './rules';
import { lineTarget } from './target';

export type AnalysisEventList = { [K in keyof StreamAnalysisRunEvents]: [K, StreamAnalysisRunEvents[K]] }[keyof StreamAnalysisRunEvents][];

const RULE_QUERY: Record<string, string> = {
  DUPLICATE_INVOICE: '중복 지급 동일 거래처 금액 duplicate invoice',
  AMOUNT_OVER_POLICY: '한도 초과 승인 금액 limit approval',
  WEEKEND_OR_HOLIDAY_POSTING: '휴일 주말 전기 holiday weekend posting',
  VENDOR_NOT_A_PARTY: '거래처 등록 vendor party master',
  MISSING_DOCUMENT_LINE: '증빙 전표 누락 missing document',
};

/**
 * The deterministic analysis: read the lines (the target line first), apply the rules, retrieve
 * regulation chunks for the rules that fired, and turn it all into the run's events and result.
 */
export async function analyse(
  req: S.AnalysisRunRequest,
  caseId: string,
  retrieve: (query: string) => Promise<RagHit[]>,
): Promise<{ events: AnalysisEventList; result: S.AnalysisResult }> {
  const ev = req.evidence ?? {};
  const header = (ev.document?.header ?? {}) as Record<string, unknown>;
  const target = lineTarget(req);
  const docLines = (ev.document?.items ?? []).map((o, i) => readLine(o, header, 'document', i));
  const openLines = (ev.openItems ?? []).map((o, i) => readLine(o, {}, 'openItem', i));
  const all = [...docLines, ...openLines];
  const targetLine = docLines.find((l) => isTarget(l, target));
  const ordered: Line[] = targetLine ? [targetLine, ...docLines.filter((l) => l !== targetLine)] : docLines;
  const settings = settingsFrom(ev, req.options);
  const partyIds = (ev.partyIds ?? []).map(String);

  const hits: RuleHit[] = [];
  if ((target.docId || target.itemId) && !targetLine) {
    hits.push({ rule: 'MISSING_DOCUMENT_LINE', weight: 0.35, detail: `the named line ${target.docId ?? '*'}/${target.itemId ?? '*'} (from ${target.source}) is not in the document` });
  }
  if (!docLines.length) hits.push({ rule: 'MISSING_DOCUMENT_LINE', weight: 0.35, detail: 'the evidence has no document lines' });
  for (const line of ordered) hits.push(...evaluateLine(line, all, partyIds, settings));

  const rules = [...new Set(hits.map((h) => h.rule))];
  const seenChunks = new Set<string>();
  const chunks: RagHit[] = [];
  for (const rule of rules) {
    for (const hit of await retrieve(`${RULE_QUERY[rule] ?? rule}`)) {
      if (seenChunks.has(hit.chunk.chunkId)) continue;
      seenChunks.add(hit.chunk.chunkId);
      chunks.push(hit);
    }
  }
  const topChunks = chunks.slice(0, 3);

  const score = combine(hits);
  const severity = severityOf(score);
  const citations: S.Citation[] = [];
  if (targetLine) citations.push({ kind: 'document_line', ref: targetLine.ref, text: `target line from ${target.source}` });
  for (const rule of rules) citations.push({ kind: 'rule', ref: rule, text: hits.find((h) => h.rule === rule)!.detail });
  for (const c of topChunks) citations.push({ kind: 'rag_chunk', ref: c.chunk.chunkId, text: `${c.chunk.title} ${c.chunk.label ?? ''}`.trim() });

  const proposals: S.RunProposalEvent[] = [];
  if (rules.includes('DUPLICATE_INVOICE') || severity === 'HIGH') {
    proposals.push({
      type: 'PAYMENT_BLOCK',
      riskLevel: severity,
      rationale: `Block payment: ${rules.join(', ')}`,
      requiresApproval: true,
      payload: { caseId, ...(targetLine ? { line: targetLine.ref } : {}), rules },
    });
  }
  if (rules.includes('MISSING_DOCUMENT_LINE') || rules.includes('VENDOR_NOT_A_PARTY')) {
    proposals.push({
      type: 'REQUEST_INFO',
      riskLevel: severity,
      rationale: 'Request the missing or unverified information from the requester',
      requiresApproval: false,
      payload: { caseId, rules },
    });
  }

  const cite = citations.map((c) => `[${c.kind}:${c.ref}]`).join(' ');
  const summary = rules.length
    ? `Case ${caseId}: ${severity} risk (score ${score}). ${hits.map((h) => h.detail).join('; ')}. Sources: ${cite}`
    : `Case ${caseId}: no rule fired (score ${score}).${targetLine ? ` Checked ${targetLine.ref} first.` : ''} Sources: ${cite || 'none'}`;

  const ruleCompliance = Math.round((1 - rules.length / 5) * 1000) / 1000;
  const events: AnalysisEventList = [
    ['step', { label: 'evidence', detail: targetLine ? `reading ${targetLine.ref} first` : `reading ${docLines.length} document lines`, percent: 20 }],
    ['evidence', { type: 'document_line', items: ordered.map((l) => ({ ref: l.ref, ...l.raw, target: l === targetLine })) }],
    ['step', { label: 'rules', detail: `${rules.length} rule(s) fired`, percent: 50 }],
    ['evidence', { type: 'rule_hit', items: hits.map((h) => ({ rule: h.rule, detail: h.detail, weight: h.weight, ...(h.lineRef ? { line: h.lineRef } : {}) })) }],
    ['step', { label: 'retrieval', detail: `${topChunks.length} regulation chunk(s)`, percent: 75 }],
    ['evidence', { type: 'rag_chunk', items: topChunks.map((c) => ({ chunkId: c.chunk.chunkId, title: c.chunk.title, label: c.chunk.label ?? '', text: c.chunk.text.slice(0, 500), score: c.score })) }],
    ['confidence', { anomalyScore: score, patternMatch: rules.includes('DUPLICATE_INVOICE') ? 0.9 : rules.length ? 0.5 : 0.1, ruleCompliance: Math.max(0, ruleCompliance), overall: Math.round(((score + (docLines.length ? 0.9 : 0.4)) / 2) * 1000) / 1000 }],
    ...proposals.map((p) => ['proposal', p] as ['proposal', S.RunProposalEvent]),
  ];
  return { events, result: { score, severity, summary, proposals, citations } };
}
