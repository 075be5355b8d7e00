// Emits generated/service-client/: what services and Node tests call each other with. It adds
// to the frontend SDK the service-only (`x-audience: internal`) operations, direct calls without
// the gateway's `/api` prefix, and validation on by default for stream events.
import type { SpecModel } from './spec';
import { BANNER, eventsType } from './emit-ts';
import { clientMethod, operationConst, operationFunction, validationEntries } from './emit-sdk';

export function emitServiceClient(spec: SpecModel): Record<string, string> {
  const internal = spec.operations.filter((o) => o.service !== 'gateway' && o.audience === 'internal');
  const { responses, events } = validationEntries(internal);
  let out = BANNER;
  out += `import type * as S from '../schemas';\nimport * as V from '../validators/schemas';\nimport { DwpClient } from '../sdk/client';\nimport type { DwpClientOptions, DwpCore, SdkValidation } from '../sdk/core';\nimport type { SdkOperation } from '../sdk/operations';\nimport type { StreamEvent, StreamOptions } from '../sdk/sse';\nimport { sdkValidation } from '../sdk/validation';\n\n`;
  out += `export * from '../sdk';\n\n`;
  out += `export interface ServiceClientOptions extends DwpClientOptions {\n  /**\n   * Call a service directly instead of the gateway: paths lose the \`/api\` prefix, as the\n   * gateway would strip it (the backend calling Aura at AURA_URL, for example).\n   */\n  direct?: boolean;\n  /** Validate success responses against the spec (stream events are validated anyway). Default false. */\n  validateResponses?: boolean;\n}\n\n`;
  out += `// ---------------------------------------------------------------- service-only operations\n\n`;
  for (const op of internal) out += operationConst(op) + (op.sseEvents ? eventsType(op) : '') + '\n' + operationFunction(op, '');
  out += `/** Response and event validators of every operation a ServiceClient calls. */\nexport const serviceValidation: SdkValidation = {\n  responses: {\n    ...sdkValidation.responses,\n${responses}  },\n  events: {\n    ...sdkValidation.events,\n${events}  },\n};\n\n`;
  out += `/** The SDK plus the service-only operations; \`direct\` calls a service without the gateway. */\nexport class ServiceClient extends DwpClient {\n`;
  out += `  constructor(override readonly options: ServiceClientOptions) {\n    super(options);\n  }\n\n`;
  out += `  protected override route(op: SdkOperation): string {\n    return this.options.direct ? op.servicePath : op.path;\n  }\n\n`;
  out += `  protected override validationSource(): DwpClientOptions['validation'] {\n    return this.options.validation ?? (this.options.validateResponses ? serviceValidation : { events: serviceValidation.events });\n  }\n\n`;
  for (const op of internal) out += clientMethod(op, '');
  return { 'service-client/index.ts': out.replace(/\n\n$/, '\n') + `}\n` };
}
