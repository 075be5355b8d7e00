// Handler stubs: `npm run generate` writes `src/<service>/handlers/<OperationId>.ts` for every operation that
// has no handler file yet. A stub is typed input → output and answers 501 E1000, so it can never pass a
// contract test; an existing file is never overwritten (the stub is a starting point, the file is then hand-written).
// `generate --check` fails while an operation has no handler file.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OperationModel, SpecModel } from './spec';

export interface HandlerFile {
  operationId: string;
  service: OperationModel['service'];
  /** Relative to the root, with `/` separators: `src/main/handlers/GetCase.ts`. */
  file: string;
}

/** Where an operation's handler lives (one file per operation, named after it). */
export function handlerFile(op: Pick<OperationModel, 'operationId' | 'service'>): string {
  return `src/${op.service}/handlers/${op.operationId}.ts`;
}

/** The context a service's handlers receive: the service binding's, or the gateway's own. */
function contextImport(service: OperationModel['service']): { type: string; from: string } {
  return service === 'gateway'
    ? { type: 'GatewayContext', from: '../context' }
    : { type: 'RequestContext', from: '../../shared/http/service-app' };
}

export function emitHandlerStub(op: OperationModel): string {
  const X = op.operationId;
  const ctx = contextImport(op.service);
  const stream = op.kind === 'sse';
  const types = stream ? `${X}Input` : `${X}Input, ${X}Output`;
  return (
    `// Generated stub (npm run generate): fill it in, then wire it in src/${op.service}/app.ts, and delete this comment.\n` +
    `// It answers 501 E1000 until then, so it cannot pass a contract test. The generator never overwrites this file.\n` +
    `// ${op.method} ${op.path}${op.summary ? ` — ${op.summary.replace(/\s+/g, ' ')}` : ''}\n` +
    `import type { ${types} } from '../../../generated/server/operations';\n` +
    `import { ApiError } from '../../shared/errors';\n` +
    `import type { ${ctx.type} } from '${ctx.from}';\n\n` +
    `export function make${X}(_deps: Record<string, never> = {}) {\n` +
    `  return async function ${X}(_input: ${X}Input, _ctx: ${ctx.type}): Promise<${stream ? 'void' : `${X}Output`}> {\n` +
    `    throw new ApiError('E1000', '${X} is not implemented', null, 501);\n` +
    `  };\n` +
    `}\n`
  );
}

/** The operations of the spec that have no handler file under `root`. */
export function missingHandlers(spec: SpecModel, root: string): HandlerFile[] {
  return spec.operations
    .map((op) => ({ operationId: op.operationId, service: op.service, file: handlerFile(op) }))
    .filter((h) => !existsSync(join(root, h.file)));
}

/** Writes a stub for each operation without a handler file; returns the files written. Never overwrites. */
export function writeHandlerStubs(spec: SpecModel, root: string): HandlerFile[] {
  const written: HandlerFile[] = [];
  for (const h of missingHandlers(spec, root)) {
    const op = spec.operations.find((o) => o.operationId === h.operationId)!;
    const p = join(root, h.file);
    mkdirSync(dirname(p), { recursive: true });
    try {
      // `wx`: a file that appeared meanwhile (another engineer, another run) is left alone.
      writeFileSync(p, emitHandlerStub(op), { flag: 'wx' });
      written.push(h);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return written;
}

/** The `--check` message for operations without a handler file (empty when there are none). */
export function missingHandlersMessage(missing: HandlerFile[]): string {
  if (missing.length === 0) return '';
  return (
    `${missing.length} operation(s) have no handler file — run \`npm run generate\` to write a stub for each, fill it in and wire it in src/<service>/app.ts:\n` +
    missing.map((h) => `  ${h.operationId} (${h.service}): create ${h.file}`).join('\n')
  );
}
