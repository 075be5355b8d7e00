import Ajv, { type ValidateFunction } from 'ajv';
import type { ToolCall, ToolSpec } from './chat-client';

/**
 * What the model may call. `effect: 'action'` tools change a case or a document: the loop never
 * runs them, it hands them to the HITL gate (agent/hitl-gate.ts), which runs them only on approval.
 */
export interface ToolDef {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  effect: 'plan' | 'read' | 'action';
  actionType?: 'PAYMENT_BLOCK' | 'REQUEST_INFO';
}

const idLike = { anyOf: [{ type: 'string', minLength: 1, maxLength: 64 }, { type: 'integer', minimum: 0 }] };
const caseId = { type: 'string', minLength: 1, maxLength: 128, description: "the run's case id" };
// Both actions take the same arguments; nothing else (no `approved`, no free-form extras).
const actionParameters = {
  type: 'object',
  additionalProperties: false,
  required: ['caseId', 'reason'],
  properties: { caseId, reason: { type: 'string', minLength: 1, maxLength: 2000 }, docId: idLike, itemId: idLike },
};

export const TOOLS: readonly ToolDef[] = [
  {
    name: 'plan',
    effect: 'plan',
    description: 'Declare your plan before anything else (steps with ids); call it again with the same ids and a new status to report progress.',
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['steps'],
      properties: {
        steps: {
          type: 'array',
          minItems: 1,
          maxItems: 12,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'description'],
            properties: {
              id: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' },
              description: { type: 'string', minLength: 1, maxLength: 500 },
              status: { type: 'string', enum: ['pending', 'in_progress', 'completed', 'failed', 'skipped'] },
              confidence: { type: 'number', minimum: 0, maximum: 1 },
            },
          },
        },
      },
    },
  },
  {
    name: 'lookup_case',
    effect: 'read',
    description: "The case's facts: its id, document key, the line to judge first, and the built-in rule findings.",
    parameters: { type: 'object', additionalProperties: false, properties: { caseId } },
  },
  {
    name: 'lookup_document',
    effect: 'read',
    description: "The case document's header and lines; with itemId (and docId), only that line.",
    parameters: { type: 'object', additionalProperties: false, properties: { docId: idLike, itemId: idLike } },
  },
  {
    name: 'search_regulations',
    effect: 'read',
    description: "Search the regulations and documents ingested into Aura (BM25); the named document line's chunks rank first.",
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['query'],
      properties: { query: { type: 'string', minLength: 1, maxLength: 500 }, limit: { type: 'integer', minimum: 1, maximum: 8 } },
    },
  },
  {
    name: 'check_rules',
    effect: 'read',
    description: 'Run the built-in duplicate and amount-limit checks on the case context.',
    parameters: { type: 'object', additionalProperties: false, properties: {} },
  },
  {
    name: 'block_payment',
    effect: 'action',
    actionType: 'PAYMENT_BLOCK',
    description: 'Propose blocking the payment of this case. A human approves or rejects it; it runs only after approval.',
    parameters: actionParameters,
  },
  {
    name: 'request_info',
    effect: 'action',
    actionType: 'REQUEST_INFO',
    description: 'Propose asking the requester for missing information. A human approves or rejects it; it runs only after approval.',
    parameters: actionParameters,
  },
];

const byName = new Map(TOOLS.map((t) => [t.name, t]));
const ajv = new Ajv({ allErrors: true, strict: true });
const validators = new Map<string, ValidateFunction>(TOOLS.map((t) => [t.name, ajv.compile(t.parameters)]));

export const toolSpecs: ToolSpec[] = TOOLS.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));

export type CheckedCall = { ok: true; call: ToolCall; def: ToolDef; args: Record<string, unknown> } | { ok: false; reason: string };

/** A call the model made, checked against the tool's JSON schema: unknown tools and bad arguments are refused, never guessed at. */
export function checkCall(call: ToolCall): CheckedCall {
  const def = byName.get(call.function.name);
  if (!def) return { ok: false, reason: `called an unknown tool "${call.function.name.slice(0, 64)}"` };
  let args: unknown;
  try {
    args = call.function.arguments.trim() === '' ? {} : JSON.parse(call.function.arguments);
  } catch {
    return { ok: false, reason: `gave ${def.name} arguments that are not JSON` };
  }
  const v = validators.get(def.name)!;
  if (!v(args)) return { ok: false, reason: `gave ${def.name} invalid arguments (${ajv.errorsText(v.errors)})` };
  return { ok: true, call, def, args: args as Record<string, unknown> };
}
