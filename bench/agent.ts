// `npm run bench:agent`: what the agent loop adds per step on top of the model's own latency.
// A scripted OpenAI-compatible server (test/aura/llm-server.ts) answers every turn after
// BENCH_MODEL_MS; its timestamps and the SSE client's share one clock (one process), so each
// figure below excludes the model's time by construction. Prints a table, writes bench/results/agent.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import Redis from 'ioredis';
import pino from 'pino';
import { createParser } from 'eventsource-parser';
import type { AddressInfo } from 'node:net';
import { HITL_SIGNAL_TTL_SECONDS, encodeHitlSignalRecord, hitlSignalKey, publishHitlChannel } from '../generated/redis';
import { signToken } from '../src/shared/auth/jwt';
import { decisionSignal } from '../src/main/hitl/messages';
import { unixSeconds } from '../src/shared/time';
import { createApp } from '../src/aura/app';
import { loadAuraConfig } from '../src/aura/config';
import { LlmServer, type Reply } from '../test/aura/llm-server';

const N = Number(process.env.BENCH_N ?? 100);
const WARMUP = 10;
const MODEL_MS = Number(process.env.BENCH_MODEL_MS ?? 5);
const DELTAS = 20;
// A database of its own: this Aura must not adopt the runs of anything else on the server.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/15';
const SECRET = 'bench-secret-0123456789-abcdefghijklmnop';

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, min: s[0], p50: q(0.5), p90: q(0.9), p99: q(0.99), max: s[s.length - 1] };
}

function script(caseId: string): Reply[] {
  return [
    { kind: 'tools', text: 'Planning the review.', calls: [{ name: 'plan', args: { steps: [{ id: 'line', description: 'Judge the line' }, { id: 'propose', description: 'Propose' }] } }, { name: 'lookup_case', args: {} }] },
    { kind: 'tools', calls: [{ name: 'lookup_document', args: { docId: 5100000123, itemId: 2 } }] },
    { kind: 'tools', calls: [{ name: 'search_regulations', args: { query: '중복 지급' } }] },
    { kind: 'tools', text: 'Duplicate: block.', calls: [{ name: 'block_payment', args: { caseId, reason: 'duplicate of INV-9' } }] },
    { kind: 'text', deltas: Array.from({ length: DELTAS }, (_, i) => `token${i} `) },
  ];
}

async function main() {
  const llm = await LlmServer.start();
  llm.delayMs = MODEL_MS;
  const config = loadAuraConfig({ JWT_SECRET: SECRET, REDIS_URL, AURA_PORT: '0', AURA_LLM_BASE_URL: llm.url, AURA_LLM_MODEL: 'scripted', HITL_TIMEOUT_SECONDS: '60' });
  const redis = new Redis(config.redisUrl);
  const app = createApp({ config, logger: pino({ level: 'silent' }), redis });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const headers = { 'x-tenant-id': 'bench', authorization: `Bearer ${signToken(SECRET, { sub: 'bench', tenantId: 'bench', ttlSeconds: 3600 })}`, 'content-type': 'application/json' };
  await fetch(`${url}/aura/rag/documents`, { method: 'POST', headers, body: JSON.stringify({ documentId: 'reg', title: '지급 규정', kind: 'text', content: '중복 지급 금지. 동일 거래처 중복 지급은 차단한다. 5100000123 line 2.' }) });

  const step: number[] = [];
  const proposal: number[] = [];
  const toConclusion: number[] = [];
  const delta: number[] = [];
  const perRun: number[] = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const caseId = `BENCH-${Date.now()}-${i}`;
    llm.play(script(caseId));
    const seen: { event: string; at: number; data: any }[] = [];
    const t0 = performance.now();
    const res = await fetch(`${url}/aura/test/stream`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ prompt: `Review ${caseId}`, context: { caseId, body_evidence: { doc_id: 5100000123, item_id: 2 }, evidence: { document: { items: [{ belnr: '5100000123', buzei: 2, wrbtr: 5000 }] } } } }),
    });
    const parser = createParser({
      onEvent: (m) => {
        if (m.data !== '[DONE]') seen.push({ event: m.event ?? 'message', at: performance.now(), data: JSON.parse(m.data) });
        else seen.push({ event: 'done', at: performance.now(), data: null });
      },
    });
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    const until = async (pred: () => boolean) => {
      while (!pred()) {
        const { done, value } = await reader.read();
        if (done) throw new Error(`stream ended early: ${seen.map((s) => s.event).join(',')}`);
        parser.feed(dec.decode(value, { stream: true }));
      }
    };
    await until(() => seen.some((s) => s.event === 'hitl'));
    const hitl = seen.find((s) => s.event === 'hitl')!;
    const decidedAt = performance.now();
    const signal = decisionSignal(hitl.data.requestId, { status: 'approved', deciderId: 'bench', at: unixSeconds() });
    await redis.set(hitlSignalKey({ sessionId: hitl.data.sessionId }), encodeHitlSignalRecord(signal), 'EX', HITL_SIGNAL_TTL_SECONDS);
    await publishHitlChannel(redis, { sessionId: hitl.data.sessionId }, signal);
    await until(() => seen.some((s) => s.event === 'done'));
    await reader.cancel().catch(() => undefined);

    const r = llm.requests;
    if (r.length !== 5 || seen.filter((s) => s.event === 'content').length !== DELTAS) throw new Error(`run ${i} did not follow the script (${r.length} requests)`);
    if (i < WARMUP) continue;
    // Model answered → Aura asks again: parse, schema checks, events logged (fenced XADDs), the tool run, the next request.
    for (let k = 0; k < 3; k++) step.push(r[k + 1].receivedAt - r[k].answeredAt!);
    // The action turn answered → `hitl` at the client: HITL records, subscribe, the event through the log and the tail.
    proposal.push(hitl.at - r[3].answeredAt!);
    // Decision published → the conclusion request: signal, the success event, reading the job and the log.
    toConclusion.push(r[4].receivedAt - decidedAt);
    // Last delta written by the model → that content event at the client.
    const contents = seen.filter((s) => s.event === 'content');
    delta.push(contents.at(-1)!.at - r[4].answeredAt!);
    const modelMs = r.reduce((a, x) => a + (x.answeredAt! - x.receivedAt), 0);
    perRun.push((seen.at(-1)!.at - t0 - modelMs - (decidedAt - hitl.at)) / 5);
  }
  await app.close();
  redis.disconnect();
  await llm.close();

  const rows: [string, ReturnType<typeof stats>][] = [
    ['loop step: model answer → next model request', stats(step)],
    ['proposal: action answer → hitl at client', stats(proposal)],
    ['decision publish → conclusion request', stats(toConclusion)],
    ['last streamed delta → content event at client', stats(delta)],
    ['whole run, per model call, beyond model time', stats(perRun)],
  ];
  const fmt = (x: number) => x.toFixed(3).padStart(8);
  console.log(`\nAgent loop overhead per step beyond the model's own latency (model ${MODEL_MS} ms/turn, N=${N} runs × 5 model calls, warm-up ${WARMUP}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''})\n`);
  console.log(`${'what'.padEnd(50)}${'min'.padStart(8)}${'p50'.padStart(8)}${'p90'.padStart(8)}${'p99'.padStart(8)}${'max'.padStart(8)}   (ms)`);
  for (const [name, s] of rows) console.log(`${name.padEnd(50)}${fmt(s.min)}${fmt(s.p50)}${fmt(s.p90)}${fmt(s.p99)}${fmt(s.max)}`);
  const out = {
    name: 'agent',
    at: new Date().toISOString(),
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? null, node: process.version },
    n: N,
    warmup: WARMUP,
    unit: 'ms',
    modelLatencyMs: MODEL_MS,
    deltasPerAnswer: DELTAS,
    loopStep: rows[0][1],
    proposalToHitl: rows[1][1],
    decisionToConclusionRequest: rows[2][1],
    lastDeltaToClient: rows[3][1],
    perModelCallOverall: rows[4][1],
    note: 'Scripted server in the same process (same clock). loopStep: from the server finishing a turn to Aura sending the next (3 per run). proposalToHitl: the action turn finished to the hitl event read by the SSE client. decisionToConclusionRequest: decision signal published to the conclusion request. lastDeltaToClient: the model writes its last delta to that content event arriving at the client. perModelCallOverall: the run from the POST to [DONE], less the model time (delay included) and the wait for the human, over its 5 model calls.',
  };
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'agent.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwrote ${join('bench', 'results', 'agent.json')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
