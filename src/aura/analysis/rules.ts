import type { AnalysisEvidence } from '../../../generated/schemas';
import { normaliseId } from '../../shared/ids';
import { sameId, type LineTarget } from './target';

/** One document line, read from the SAP-style or camelCase field names the evidence may use. */
export interface Line {
  ref: string;
  docId?: string;
  itemId?: string;
  vendor?: string;
  amount?: number;
  postingDate?: string;
  invoiceRef?: string;
  source: 'document' | 'openItem';
  raw: Record<string, unknown>;
}

export interface RuleHit {
  rule: string;
  detail: string;
  weight: number;
  lineRef?: string;
}

const pick = (o: Record<string, unknown>, ...names: string[]) => {
  for (const n of names) if (o[n] !== undefined && o[n] !== null && o[n] !== '') return o[n];
  return undefined;
};
const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

export function readLine(o: Record<string, unknown>, header: Record<string, unknown>, source: Line['source'], index: number): Line {
  const docId = normaliseId(pick(o, 'doc_id', 'docId', 'belnr', 'BELNR') ?? pick(header, 'doc_id', 'docId', 'belnr', 'BELNR'));
  const itemId = normaliseId(pick(o, 'item_id', 'itemId', 'buzei', 'BUZEI'));
  const line: Line = { ref: `${source}:${docId ?? '?'}/${itemId ?? index + 1}`, source, raw: o };
  if (docId) line.docId = docId;
  if (itemId) line.itemId = itemId;
  const vendor = normaliseId(pick(o, 'vendorId', 'vendor', 'lifnr', 'LIFNR') ?? pick(header, 'vendorId', 'vendor', 'lifnr', 'LIFNR'));
  if (vendor) line.vendor = vendor;
  const amount = num(pick(o, 'amount', 'wrbtr', 'WRBTR', 'dmbtr', 'DMBTR'));
  if (amount !== undefined) line.amount = amount;
  const date = pick(o, 'postingDate', 'budat', 'BUDAT') ?? pick(header, 'postingDate', 'budat', 'BUDAT');
  if (typeof date === 'string') line.postingDate = date;
  const inv = pick(o, 'invoiceRef', 'xblnr', 'XBLNR') ?? pick(header, 'invoiceRef', 'xblnr', 'XBLNR');
  if (inv !== undefined) line.invoiceRef = String(inv);
  return line;
}

export function isTarget(line: Line, t: LineTarget): boolean {
  if (!t.docId && !t.itemId) return false;
  if (t.docId && !(line.docId && sameId(line.docId, t.docId))) return false;
  if (t.itemId && !(line.itemId && sameId(line.itemId, t.itemId))) return false;
  return true;
}

export interface RuleSettings {
  amountThreshold: number;
  holidays: string[];
}

export function settingsFrom(evidence: AnalysisEvidence, options: Record<string, unknown> | undefined): RuleSettings {
  let amountThreshold = num(options?.amountThreshold) ?? 100_000_000;
  const holidays: string[] = Array.isArray(options?.holidays) ? (options.holidays as unknown[]).filter((h): h is string => typeof h === 'string') : [];
  for (const p of evidence.policies ?? []) {
    const limit = num(pick(p, 'amountThreshold', 'threshold', 'limit'));
    if (limit !== undefined) amountThreshold = Math.min(amountThreshold, limit);
    if (Array.isArray(p.holidays)) holidays.push(...(p.holidays as unknown[]).filter((h): h is string => typeof h === 'string'));
  }
  return { amountThreshold, holidays };
}

function dayOf(date: string): { iso: string; weekday: number } | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(date);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(d.getTime())) return null;
  return { iso: `${m[1]}-${m[2]}-${m[3]}`, weekday: d.getUTCDay() };
}

/** The rules, applied to each line in order (the target line first); each hit names its line. */
export function evaluateLine(line: Line, all: Line[], partyIds: string[], s: RuleSettings): RuleHit[] {
  const hits: RuleHit[] = [];
  if (line.vendor !== undefined && line.amount !== undefined) {
    const twin = all.find((o) => o !== line && o.vendor === line.vendor && o.amount === line.amount && o.ref !== line.ref);
    if (twin) hits.push({ rule: 'DUPLICATE_INVOICE', weight: 0.5, lineRef: line.ref, detail: `${line.ref} has the same vendor ${line.vendor} and amount ${line.amount} as ${twin.ref}` });
  }
  if (line.amount !== undefined && line.amount > s.amountThreshold) {
    hits.push({ rule: 'AMOUNT_OVER_POLICY', weight: 0.3, lineRef: line.ref, detail: `${line.ref} amount ${line.amount} exceeds the policy threshold ${s.amountThreshold}` });
  }
  const day = line.postingDate ? dayOf(line.postingDate) : null;
  if (day && (day.weekday === 0 || day.weekday === 6 || s.holidays.includes(day.iso))) {
    hits.push({ rule: 'WEEKEND_OR_HOLIDAY_POSTING', weight: 0.15, lineRef: line.ref, detail: `${line.ref} was posted on ${day.iso}, a ${day.weekday === 0 || day.weekday === 6 ? 'weekend' : 'holiday'}` });
  }
  if (partyIds.length && line.vendor !== undefined && !partyIds.includes(line.vendor)) {
    hits.push({ rule: 'VENDOR_NOT_A_PARTY', weight: 0.25, lineRef: line.ref, detail: `${line.ref} vendor ${line.vendor} is not among the case's parties` });
  }
  return hits;
}

/** 1 − Π(1 − w): independent pieces of evidence, never above 1. */
export function combine(hits: RuleHit[]): number {
  const seen = new Map<string, number>();
  for (const h of hits) seen.set(h.rule, Math.max(seen.get(h.rule) ?? 0, h.weight));
  let keep = 1;
  for (const w of seen.values()) keep *= 1 - w;
  return Math.round((1 - keep) * 1000) / 1000;
}

export function severityOf(score: number): 'LOW' | 'MEDIUM' | 'HIGH' {
  return score >= 0.6 ? 'HIGH' : score >= 0.3 ? 'MEDIUM' : 'LOW';
}
