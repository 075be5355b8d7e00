// `npm run demo`: the whole HITL loop against a running `npm start` (approve, reject), printing
// each step as it happens. Exits non-zero when any step fails. GATEWAY_URL overrides the URL.
import { DEMO_CREDENTIALS } from '../src/shared/db/seed';
import { runHitlLoop, type Decision } from '../test/e2e/hitl-loop';

const gatewayUrl = process.env.GATEWAY_URL ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? '8080'}`;
const approver = DEMO_CREDENTIALS.find((c) => c.role === 'APPROVER')!;
// Four-eyes: the requester asks Aura, the approver decides.
const requester = DEMO_CREDENTIALS.find((c) => c.role === 'REQUESTER')!;
const runs: { decision: Decision; caseId: string }[] = [
  { decision: 'approve', caseId: process.env.DEMO_APPROVE_CASE ?? 'CASE-2026-0001' },
  { decision: 'reject', caseId: process.env.DEMO_REJECT_CASE ?? 'CASE-2026-0002' },
];

function print(step: string, detail?: unknown): void {
  const t = new Date().toISOString().slice(11, 23);
  console.log(`${t}  ${step}${detail === undefined ? '' : `  ${JSON.stringify(detail)}`}`);
}

async function main(): Promise<void> {
  print(`gateway ${gatewayUrl}, ${requester.username} asks Aura, ${approver.username} decides (tenant ${approver.tenantId})`);
  for (const run of runs) {
    console.log(`\n── ${run.decision} on ${run.caseId} ──`);
    const r = await runHitlLoop({ gatewayUrl, credentials: approver, requester, caseId: run.caseId, decision: run.decision, onStep: print });
    const want = run.decision === 'approve' ? 'APPROVED' : 'REJECTED';
    const action = r.caseDetail.actions.find((a) => a.requestId === r.hitl.requestId);
    if (!action || action.statusCode !== want) throw new Error(`case ${run.caseId} has no ${want} action for ${r.hitl.requestId}`);
    const last = r.streamEvents[r.streamEvents.length - 1];
    if (last?.event !== 'end') throw new Error(`the stream did not end with an end event (last: ${last?.event})`);
    print(`ok: ${run.caseId} ${want}, document ${r.caseDetail.document?.statusCode ?? '—'}, ${r.caseDetail.actions.length} action(s) on record`);
  }
  console.log('\nThe loop works: stream → hitl → decision → same stream resumed → CASE_ACTION → notification → case updated.');
}

main().catch((err: Error) => {
  console.error(`\ndemo failed: ${err.message}`);
  if (/fetch failed|ECONNREFUSED/.test(String(err.message) + String((err as { cause?: unknown }).cause))) {
    console.error(`Is the platform running? Start it with \`npm start\` (gateway on ${gatewayUrl}).`);
  }
  process.exit(1);
});
