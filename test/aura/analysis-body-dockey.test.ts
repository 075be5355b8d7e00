import * as V from '../../generated/validators/schemas';
import { http } from '../support/http';
import { openSse } from '../support/sse';
import { type Aura, serviceHeaders, startAura } from './support';

// The seeds name `body_evidence.document.docKey` beside `body_evidence.doc_id`; it used to be ignored.
describe('Phase2: body_evidence.document.docKey names the line', () => {
  let aura: Aura;
  const tenant = `bdk${Date.now() % 1e8}`;
  const headers = { ...serviceHeaders(tenant), 'content-type': 'application/json' };
  beforeAll(async () => {
    aura = await startAura();
  });
  afterAll(() => aura.close());

  it('wins over evidence.document.docKey, and the line is evaluated and cited first', async () => {
    const runId = `run-bdk-${Date.now()}`;
    const body = {
      runId,
      evidence: {
        document: {
          docKey: '1000-5100000123-2026-1',
          header: { belnr: '5100000123', vendorId: 'V100' },
          items: [
            { buzei: 1, amount: 5000, postingDate: '2026-03-04', vendorId: 'V100' },
            { buzei: 2, amount: 250_000_000, postingDate: '2026-03-04', vendorId: 'V100' },
          ],
        },
        partyIds: ['V100'],
      },
      body_evidence: { document: { docKey: '1000-5100000123-2026-0002' } },
    };
    const res = await http('POST', `${aura.url}/aura/cases/CASE-BDK/analysis-runs`, { headers, body });
    expect(res.status).toBe(202);
    expect(V.AnalysisRunAccepted(res.body)).toBe(true);
    const s = openSse(`${aura.url}${res.body.streamUrl.replace(/^\/api/, '')}`, { headers }, 'StreamAnalysisRun');
    await s.toEnd();
    expect(s.frames.find((f) => f.event === 'evidence')!.data.items[0]).toMatchObject({ buzei: 2, target: true });
    const status = await http('GET', `${aura.url}/aura/analysis-runs/${runId}`, { headers });
    expect(V.AnalysisRunStatusResponse(status.body)).toBe(true);
    expect(status.body.data.result.citations[0]).toEqual({ kind: 'document_line', ref: 'document:5100000123/2', text: 'target line from body_evidence' });
  });
});
