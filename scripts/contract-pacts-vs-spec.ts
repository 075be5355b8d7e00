// Every committed pact against the specs: each HTTP interaction must be an operation of
// openapi.yaml (method + path; gateway paths for the gateway, service paths for direct calls)
// whose request and response bodies (and SSE events) validate with the generated validators;
// each message must be a message of asyncapi.yaml. A pact asking for more than the spec
// promises fails. `tsx scripts/contract-pacts-vs-spec.ts [dir]`, default contracts/.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createParser } from 'eventsource-parser';
import { parse as parseYaml } from 'yaml';
import { ERROR_CODES, SSE_DONE } from '../generated/contract';
import { validateAlertMessage, validateCaseActionMessage, validateHitlChannelMessage, validateRagStatusMessage } from '../generated/redis';
import { operations, type OperationSpec } from '../generated/server/operations';
import { ErrorEnvelope } from '../generated/validators/schemas';

type Validator = ((x: unknown) => boolean) & { errors?: unknown };

interface PactBody {
  content?: unknown;
  contentType?: string;
  encoded?: false | string;
}

interface Interaction {
  type: string;
  description: string;
  request?: { method: string; path: string; headers?: Record<string, string[]>; query?: Record<string, string[]>; body?: PactBody };
  response?: { status: number; headers?: Record<string, string[]>; body?: PactBody };
  contents?: PactBody;
}

export interface Pact {
  consumer: { name: string };
  provider: { name: string };
  interactions: Interaction[];
  metadata?: { pactSpecification?: { version?: string } };
}

/** Message validators by asyncapi message (the generated helpers throw on an off-contract message). */
const MESSAGES: Record<string, (m: unknown) => unknown> = {
  'hitl:channel HitlSignal': validateHitlChannelMessage,
  'workbench:case:action CaseActionNotification': validateCaseActionMessage,
  'workbench:rag:status RagStatusNotification': validateRagStatusMessage,
  'workbench:alert AiDetectNotification': validateAlertMessage,
};

// The operation table carries only success responses; the statuses each operation declares for
// its errors are read from openapi.yaml itself, so a pact cannot rely on an undeclared error.
let declaredStatuses: Map<string, Set<number>> | undefined;
function declaresStatus(operationId: string, status: number): boolean {
  if (!declaredStatuses) {
    declaredStatuses = new Map();
    type Doc = { paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>> };
    const doc = parseYaml(readFileSync(path.join(__dirname, '..', 'openapi.yaml'), 'utf8')) as Doc;
    for (const item of Object.values(doc.paths)) {
      for (const o of Object.values(item)) {
        if (o && typeof o === 'object' && o.operationId) declaredStatuses.set(o.operationId, new Set(Object.keys(o.responses ?? {}).map(Number)));
      }
    }
  }
  return declaredStatuses.get(operationId)?.has(status) ?? false;
}

function bodyText(b: PactBody): string {
  if (typeof b.content !== 'string') return JSON.stringify(b.content);
  return b.encoded === 'base64' ? Buffer.from(b.content, 'base64').toString('utf8') : b.content;
}

function bodyJson(b: PactBody): unknown {
  return typeof b.content === 'string' ? JSON.parse(bodyText(b)) : b.content;
}

function templateRegex(template: string): RegExp {
  return new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[A-Za-z0-9_]+\\?\}|\{[A-Za-z0-9_]+\}/g, '[^/]+')}$`);
}

function findOperation(method: string, p: string): { op: OperationSpec; via: 'gateway' | 'direct' } | undefined {
  for (const op of Object.values(operations) as OperationSpec[]) {
    if (op.method !== method.toUpperCase()) continue;
    if (templateRegex(op.path).test(p)) return { op, via: 'gateway' };
    if (templateRegex(op.servicePath).test(p)) return { op, via: 'direct' };
  }
  return undefined;
}

function paramsOf(template: string, p: string): Record<string, string> {
  const names = [...template.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!);
  const m = new RegExp(`^${template.replace(/\{[A-Za-z0-9_]+\}/g, '([^/]+)')}$`).exec(p);
  return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m?.[i + 1] ?? '')]));
}

function check(v: Validator | null | undefined, value: unknown, what: string, errors: string[]): void {
  if (!v) return;
  if (!v(value)) errors.push(`${what}: ${JSON.stringify(v.errors)}`);
}

function sseErrors(text: string, op: OperationSpec, where: string, errors: string[]): void {
  const validators = (op.sseEvents ?? {}) as Record<string, Validator>;
  let done = false;
  let events = 0;
  const parser = createParser({
    onEvent: (m) => {
      if (m.data === SSE_DONE) return void (done = true);
      events++;
      const v = validators[m.event ?? 'message'];
      if (!v) return void errors.push(`${where}: event "${m.event}" is not an event of ${op.operationId}`);
      try {
        check(v, JSON.parse(m.data), `${where}: event ${m.event}`, errors);
      } catch {
        errors.push(`${where}: event ${m.event} data is not JSON`);
      }
    },
  });
  parser.feed(text);
  if (!events) errors.push(`${where}: the SSE example has no events`);
  if (!done) errors.push(`${where}: the SSE example does not end with [DONE]`);
}

/** Problems of one pact against the specs (empty when it keeps to them). */
export function checkPact(pact: Pact): string[] {
  const errors: string[] = [];
  const name = `${pact.consumer.name} → ${pact.provider.name}`;
  if (pact.metadata?.pactSpecification?.version !== '4.0') errors.push(`${name}: not a V4 pact`);
  if (!pact.interactions?.length) errors.push(`${name}: no interactions`);
  for (const i of pact.interactions ?? []) {
    const where = `${name} / ${i.description}`;
    if (i.type === 'Synchronous/HTTP') {
      const req = i.request!;
      const found = findOperation(req.method, req.path);
      if (!found) {
        errors.push(`${where}: ${req.method} ${req.path} is not an operation of openapi.yaml`);
        continue;
      }
      const { op, via } = found;
      if (via === 'direct' && op.direct === false && pact.provider.name.includes('gateway')) errors.push(`${where}: the gateway serves ${op.path}, not ${req.path}`);
      check(op.validate.params, paramsOf(via === 'gateway' ? op.path : op.servicePath, req.path), `${where}: path parameters`, errors);
      if (op.validate.query) check(op.validate.query, Object.fromEntries(Object.entries(req.query ?? {}).map(([k, v]) => [k, v[0]])), `${where}: query`, errors);
      if (req.body) check(op.validate.body, bodyJson(req.body), `${where}: request body`, errors);
      else if (op.bodyRequired) errors.push(`${where}: the operation requires a request body`);
      const res = i.response!;
      if (op.kind === 'sse' && res.status === 200) {
        if (!res.body) errors.push(`${where}: SSE response without an example body`);
        else sseErrors(bodyText(res.body), op, where, errors);
        continue;
      }
      if (res.status >= 400) {
        if (!declaresStatus(op.operationId, res.status)) {
          errors.push(`${where}: status ${res.status} is not a response of ${op.operationId}`);
          continue;
        }
        if (!res.body) {
          errors.push(`${where}: error response ${res.status} without the error envelope`);
          continue;
        }
        const body = bodyJson(res.body) as { errorCode?: string };
        check(ErrorEnvelope as Validator, body, `${where}: response ${res.status}`, errors);
        const code = ERROR_CODES[body.errorCode as keyof typeof ERROR_CODES];
        if (code && code.status !== res.status) errors.push(`${where}: ${body.errorCode} is answered with ${code.status}, not ${res.status}`);
        continue;
      }
      const v = (op.responses as Record<number, Validator>)[res.status];
      if (!v) {
        errors.push(`${where}: status ${res.status} is not a response of ${op.operationId}`);
        continue;
      }
      if (res.body) check(v, bodyJson(res.body), `${where}: response ${res.status}`, errors);
    } else if (i.type === 'Asynchronous/Messages') {
      const content = i.contents ? bodyJson(i.contents) : undefined;
      const rejections: string[] = [];
      const matched = Object.entries(MESSAGES).find(([, validate]) => {
        try {
          validate(content);
          return true;
        } catch (err) {
          rejections.push((err as Error).message.slice(0, 300));
          return false;
        }
      });
      if (!matched) errors.push(`${where}: the message is no message of asyncapi.yaml (${rejections.join(' | ')})`);
    } else {
      errors.push(`${where}: interaction type ${i.type} is not checked`);
    }
  }
  return errors;
}

export function checkPactDir(dir: string): { files: string[]; errors: string[] } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const errors = files.flatMap((f) => checkPact(JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Pact).map((e) => `${f}: ${e}`));
  if (!files.length) errors.push(`no pacts in ${dir}`);
  return { files, errors };
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'contracts'));
  const { files, errors } = checkPactDir(dir);
  if (errors.length) {
    console.error(`pacts vs spec: ${errors.length} problem(s)\n${errors.map((e) => `  ✗ ${e}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`pacts vs spec: ${files.length} pact(s) keep to openapi.yaml and asyncapi.yaml (${files.join(', ')})`);
}
