import type * as S from '../../../generated/sdk';
import { useI18n } from '../i18n';
import { JsonView } from './JsonView';

/** The case's evidence as the backend hands it to Aura: the document, its lines, rules, refs. */
export function Evidence({ evidence }: { evidence: S.AnalysisEvidence | undefined }) {
  const { t } = useI18n();
  if (!evidence || Object.keys(evidence).length === 0) return <p className="muted">{t('case.noEvidence')}</p>;
  const { document: doc, evidence: items, policies, openItems, ragRefs, partyIds, lineage, doc_id, item_id } = evidence;
  return (
    <div className="evidence" data-testid="evidence">
      {(doc_id !== undefined || item_id !== undefined) && (
        <p>
          <strong>{t('run.bodyEvidence')}:</strong> <code>{String(doc_id ?? '—')}</code> / <code>{String(item_id ?? '—')}</code>
        </p>
      )}
      {doc?.header && (
        <details open>
          <summary>{doc.docKey ?? 'header'}</summary>
          <JsonView value={doc.header} />
        </details>
      )}
      {doc?.items && doc.items.length > 0 && <Rows title="items" rows={doc.items} />}
      {items && items.length > 0 && <Rows title="evidence" rows={items} />}
      {policies && policies.length > 0 && <Rows title="policies" rows={policies} />}
      {openItems && openItems.length > 0 && <Rows title="openItems" rows={openItems} />}
      {ragRefs && ragRefs.length > 0 && <Rows title="ragRefs" rows={ragRefs} />}
      {partyIds && partyIds.length > 0 && (
        <p>
          <strong>partyIds:</strong> {partyIds.join(', ')}
        </p>
      )}
      {lineage && Object.keys(lineage).length > 0 && (
        <details>
          <summary>lineage</summary>
          <JsonView value={lineage} />
        </details>
      )}
    </div>
  );
}

/** Rows of free-form objects as a table over the union of their keys. */
function Rows({ title, rows }: { title: string; rows: Record<string, unknown>[] }) {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))].slice(0, 10);
  return (
    <details open>
      <summary>
        {title} ({rows.length})
      </summary>
      <div className="table-wrap">
        <table className="compact">
          <thead>
            <tr>
              {cols.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                {cols.map((c) => (
                  <td key={c} data-label={c}>
                    {r[c] === undefined ? '' : typeof r[c] === 'object' ? JSON.stringify(r[c]) : String(r[c])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
