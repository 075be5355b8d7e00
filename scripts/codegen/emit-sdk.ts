// Emits the frontend SDK (generated/sdk/): browser-safe and tree-shakeable, so it imports no
// validators and not the server's operation table. One standalone function per operation
// (api.ts), a class over them (client.ts), and the validators as a separate, lazy entry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OperationModel, SpecModel } from './spec';
import { BANNER, camel, eventsType, propKey, q, tsType } from './emit-ts';

/** The operations a browser user may call: served behind the gateway, not service-only. */
export const sdkOperations = (spec: SpecModel) => spec.operations.filter((o) => o.service !== 'gateway' && o.audience !== 'internal');

export function argsInterface(op: OperationModel): { decl: string; optional: boolean } {
  const fields: string[] = [];
  let optional = true;
  const path = op.params.filter((p) => p.in === 'path');
  if (path.length) {
    fields.push(`params: { ${path.map((p) => `${p.name}: ${tsType(p.schema)}`).join('; ')} }`);
    optional = false;
  }
  const query = op.params.filter((p) => p.in === 'query');
  if (query.length) {
    const req = query.some((p) => p.required);
    if (req) optional = false;
    fields.push(`query${req ? '' : '?'}: { ${query.map((p) => `${p.name}${p.required ? '' : '?'}: ${tsType(p.schema)}`).join('; ')} }`);
  }
  if (op.body) {
    if (op.body.required) optional = false;
    fields.push(`body${op.body.required ? '' : '?'}: S.${op.body.schemaName}`);
  }
  fields.push('headers?: Record<string, string>', 'signal?: AbortSignal');
  return { decl: `export interface ${op.operationId}Args {\n${fields.map((f) => `  ${f};\n`).join('')}}\n`, optional };
}

/** The success body type of a JSON or text operation. */
const bodyType = (op: OperationModel) => (op.kind === 'text' ? 'string' : [...new Set(op.success.map((s) => `S.${s.schemaName}`))].join(' | '));

/**
 * A standalone function per operation, `client` first. `ops` is how the file names its operation
 * consts and their Events types (`O.` or '').
 */
export function operationFunction(op: OperationModel, ops: string): string {
  const { decl, optional } = argsInterface(op);
  const head = `export function ${camel(op.operationId)}(client: DwpCore, args: ${op.operationId}Args${optional ? ' = {}' : ''}`;
  const doc = `/** ${op.method} ${op.path} — ${op.summary} */\n`;
  if (op.kind === 'sse') {
    const events = `${ops}${op.operationId}Events`;
    return `${decl}${doc}${head}, options?: StreamOptions): AsyncGenerator<StreamEvent<${events}>, void, undefined> {\n  return client.stream<${events}>(${ops}${op.operationId}, args, options);\n}\n\n`;
  }
  return `${decl}${doc}${head}): Promise<${bodyType(op)}> {\n  return client.call<${bodyType(op)}>(${ops}${op.operationId}, args);\n}\n\n`;
}

export function operationConst(op: OperationModel): string {
  return (
    `// ${op.method} ${op.path} — ${op.summary}\n` +
    `export const ${op.operationId} = { operationId: ${q(op.operationId)}, method: ${q(op.method)}, path: ${q(op.path)}, servicePath: ${q(op.servicePath)}, public: ${op.public}, kind: ${q(op.kind)} } as const satisfies SdkOperation;\n`
  );
}

/** Responses by status and events by name, as the entries of an SdkValidation (needs `V`). */
export function validationEntries(ops: OperationModel[]): { responses: string; events: string } {
  const responses = ops
    .filter((o) => o.kind === 'json')
    .map((o) => `    ${o.operationId}: { ${o.success.map((s) => `${s.status}: V.${s.schemaName}`).join(', ')} },\n`)
    .join('');
  const events = ops
    .filter((o) => o.sseEvents)
    .map((o) => `    ${o.operationId}: { ${Object.entries(o.sseEvents!).map(([ev, s]) => `${propKey(ev)}: V.${s}`).join(', ')} },\n`)
    .join('');
  return { responses, events };
}

function operationsFile(ops: OperationModel[]): string {
  let out = BANNER + `import type * as S from '../schemas';\n\n`;
  out += `/** What the SDK needs to know of an operation to call it. */\nexport interface SdkOperation {\n  operationId: string;\n  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';\n  /** Path through the gateway. */\n  path: string;\n  /** Path the service itself serves (the gateway strips \`/api\`). */\n  servicePath: string;\n  /** Sent without credentials. */\n  public: boolean;\n  kind: 'json' | 'sse' | 'text';\n}\n\n`;
  for (const op of ops) out += operationConst(op) + (op.sseEvents ? eventsType(op) : '') + '\n';
  out += `/** Every operation of the SDK by operationId (importing it keeps them all in a bundle). */\n`;
  out += `export const operations = { ${ops.map((o) => o.operationId).join(', ')} } as const;\n`;
  return out;
}

function apiFile(ops: OperationModel[]): string {
  let out = BANNER;
  out += `import type * as S from '../schemas';\nimport type { DwpCore } from './core';\nimport * as O from './operations';\nimport type { StreamEvent, StreamOptions } from './sse';\n\n`;
  for (const op of ops) out += operationFunction(op, 'O.');
  return out;
}

/** A class method delegating to the operation's function; `args` is how the file names that module (`A.` or ''). */
export function clientMethod(op: OperationModel, args: string): string {
  const name = camel(op.operationId);
  const impl = `${args}${name}`;
  const argsDecl = `args: ${args}${op.operationId}Args${argsInterface(op).optional ? ' = {}' : ''}`;
  const doc = `  /** ${op.method} ${op.path} — ${op.summary} */\n`;
  return op.kind === 'sse'
    ? `${doc}  ${name}(${argsDecl}, options?: StreamOptions) {\n    return ${impl}(this, args, options);\n  }\n\n`
    : `${doc}  ${name}(${argsDecl}) {\n    return ${impl}(this, args);\n  }\n\n`;
}

function clientFile(ops: OperationModel[]): string {
  let out = BANNER + `import * as A from './api';\nimport { DwpCore } from './core';\nimport type { StreamOptions } from './sse';\n\n`;
  out += `/** Every SDK operation as a method (pulls them all into a bundle; api.ts does not). */\nexport class DwpClient extends DwpCore {\n`;
  for (const op of ops) out += clientMethod(op, 'A.');
  return out.replace(/\n\n$/, '\n') + `}\n`;
}

function validationFile(ops: OperationModel[]): string {
  const { responses, events } = validationEntries(ops);
  return (
    BANNER +
    `// Kept out of index.ts on purpose: the validators are most of the SDK's weight, so a browser\n// loads this entry lazily (DwpClientOptions.validation) and Node tests import it directly.\n` +
    `import * as V from '../validators/schemas';\nimport type { SdkValidation } from './core';\n\n` +
    `export const sdkValidation: SdkValidation = {\n  responses: {\n${responses}  },\n  events: {\n${events}  },\n};\n`
  );
}

export function emitSdk(spec: SpecModel, root: string): Record<string, string> {
  const ops = sdkOperations(spec);
  const template = (name: string) => BANNER + readFileSync(join(root, 'scripts/codegen/templates', name), 'utf8');
  return {
    'sdk/http.ts': template('http.ts'),
    'sdk/core.ts': template('core.ts'),
    'sdk/sse.ts': template('sse.ts'),
    'sdk/operations.ts': operationsFile(ops),
    'sdk/api.ts': apiFile(ops),
    'sdk/client.ts': clientFile(ops),
    'sdk/validation.ts': validationFile(ops),
    'sdk/index.ts':
      BANNER +
      `// No validators in here: see validation.ts.\nexport * from './core';\nexport * from './api';\nexport * from './client';\nexport * from './sse';\nexport type * from './operations';\nexport type * from '../schemas';\n`,
  };
}
