// Every HTTP answer a test sees is checked against openapi.yaml: the success body against the
// operation's response schema for that status, any error against the error envelope. The
// services check their own success bodies at runtime too; this catches what they do not
// (errors, other parties such as the gateway, and stubs that pretend to be a service).
import { operations, type OperationSpec } from '../../generated/server/operations';
import * as V from '../../generated/validators/schemas';
import { pathTemplate } from '../../src/shared/http/path-template';

interface Matcher {
  op: OperationSpec;
  re: RegExp;
}

const toRe = (p: string) => pathTemplate(p).pattern;

const matchers: Matcher[] = (Object.values(operations) as OperationSpec[]).flatMap((op) => [
  { op, re: toRe(op.path) },
  ...(op.path !== op.servicePath ? [{ op, re: toRe(op.servicePath) }] : []),
]);

export function findOperation(method: string, url: string): OperationSpec | undefined {
  const path = new URL(url, 'http://x.invalid').pathname;
  return matchers.find((m) => m.op.method === method.toUpperCase() && m.re.test(path))?.op;
}

export class SpecViolation extends Error {}

/**
 * Throws SpecViolation if `body` (parsed JSON, or undefined) is not what the spec promises for
 * `method url` answering `status`. Non-JSON answers (SSE, metrics) are left to their own checks.
 */
export function checkAgainstSpec(
  method: string,
  url: string,
  status: number,
  contentType: string | null,
  body: unknown,
  opts: { successBodies?: boolean } = {},
): void {
  if (!contentType?.includes('application/json')) return;
  const op = findOperation(method, url);
  if (status >= 400 || (body as { status?: unknown })?.status === 'ERROR') {
    if (!V.ErrorEnvelope(body)) {
      throw new SpecViolation(`${method} ${url} → ${status}: not an error envelope: ${JSON.stringify(V.ErrorEnvelope.errors)} ${JSON.stringify(body).slice(0, 300)}`);
    }
    return;
  }
  // Gateway tests put stubs behind spec paths: only the gateway's own answers are its contract.
  if (opts.successBodies === false && op?.service !== 'gateway') return;
  if (!op) return; // not an operation of the spec (a test's own stub endpoint)
  const v = (op.responses as Record<number, typeof V.ErrorEnvelope>)[status];
  if (!v) throw new SpecViolation(`${method} ${url} answered ${status}, which ${op.operationId} does not declare`);
  if (!v(body)) throw new SpecViolation(`${method} ${url} → ${status}: does not match ${op.operationId}: ${JSON.stringify(v.errors)}`);
}
