// Renders generated/redis.ts from the AsyncAPI document @asyncapi/generator parsed (Parser API v3):
// the channel builders and the validating publish/encode/parse functions of every channel, and the
// key builders and record codecs of `x-redis-keys`. Payload schemas are named by the openapi.yaml
// schema they `$ref`: scripts/codegen/asyncapi-generator.ts gives each such schema its name as
// `x-parser-schema-id` while the parser resolves the reference, so `schema.id()` is that name.
import { File } from '@asyncapi/generator-react-sdk';

const BANNER =
  '// DO NOT EDIT — rendered by @asyncapi/generator from asyncapi.yaml with scripts/codegen/asyncapi-template.\n// Change the spec, then run `npm run generate`.\n';

const q = (s) => JSON.stringify(s);
const pascal = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const placeholders = (address) => [...address.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]);

/** The openapi.yaml schema a payload or record `$ref`s; an inline schema has no name to type it by. */
function schemaName(id, where) {
  if (typeof id !== 'string' || id.startsWith('<anonymous')) {
    throw new Error(`${where}: the schema must $ref a named schema of openapi.yaml (./openapi.yaml#/components/schemas/...)`);
  }
  return id;
}

function extension(model, name) {
  const ext = model.extensions().get(name);
  return ext ? ext.value() : undefined;
}

function channelModels(asyncapi) {
  return asyncapi
    .channels()
    .all()
    .map((ch) => ({
      key: ch.id(),
      address: ch.address(),
      parameters: ch.parameters().all().map((p) => p.id()),
      envVar: extension(ch, 'x-env') ?? null,
      description: ch.description() ?? ch.title() ?? '',
      messages: ch
        .messages()
        .all()
        .map((m) => ({ name: m.id(), schemaName: schemaName(m.payload()?.id(), `channel ${ch.id()} message ${m.id()}`) })),
    }));
}

function keyModels(asyncapi) {
  return Object.entries(extension(asyncapi, 'x-redis-keys') ?? {}).map(([key, k]) => ({
    key,
    pattern: k.pattern,
    parameters: placeholders(k.pattern),
    ttlSeconds: k.ttlSeconds,
    schemaName: k.schema ? schemaName(k.schema['x-parser-schema-id'], `x-redis-keys.${key}`) : null,
    redisType: k.type ?? 'string',
  }));
}

function patternModels(asyncapi) {
  return Object.entries(extension(asyncapi, 'x-redis-patterns') ?? {}).map(([key, p]) => ({ key, pattern: p.pattern }));
}

const PRELUDE = `import type * as S from './schemas';
import * as V from './validators/schemas';
import type { ValidateFunction } from 'ajv';
import { IDENTIFIER_PATTERN } from './contract';

/** The narrow port every publisher implements (ioredis satisfies it). */
export interface RedisPublisher {
  publish(channel: string, message: string): Promise<number>;
}

/** The narrow port every record reader implements (ioredis satisfies it). */
export interface RedisReader {
  get(key: string): Promise<string | null>;
}

/** A message that does not match its schema: a bug on the sending side, never sent. */
export class ContractViolationError extends Error {
  constructor(readonly schema: string, readonly errors: unknown) {
    super(\`message does not match \${schema}: \${JSON.stringify(errors)}\`);
    this.name = 'ContractViolationError';
  }
}

function check<T>(validate: ValidateFunction, schema: string, value: unknown): T {
  if (!validate(value)) throw new ContractViolationError(schema, validate.errors);
  return value as T;
}

function fill(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/\\{([A-Za-z0-9_]+)\\}/g, (_, name: string) => {
    const v = params[name];
    // Identifiers keep Redis glob characters and CR/LF out of channel and key names.
    if (typeof v !== 'string' || !IDENTIFIER_PATTERN.test(v)) throw new ContractViolationError('Identifier', [{ param: name, value: v }]);
    return v;
  });
}

function decode(raw: string | Buffer): unknown {
  try {
    return JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch (e) {
    throw new ContractViolationError('JSON', [{ message: (e as Error).message }]);
  }
}

`;

function renderChannel(c) {
  const T = pascal(c.key);
  let out = `// ${c.address} — ${c.description}\n`;
  out += `export type ${T}Message = ${c.messages.map((m) => `S.${m.schemaName}`).join(' | ')};\n`;
  if (c.parameters.length) {
    out += `export type ${T}Params = { ${c.parameters.map((p) => `${p}: string`).join('; ')} };\n`;
    out += `export function ${c.key}Address(params: ${T}Params): string {\n  return fill(CHANNELS.${c.key}.address, params);\n}\n`;
  } else {
    out += `/** The channel name: \`${c.envVar}\` when set in \`env\`, else \`${c.address}\`. */\n`;
    out += `export function ${c.key}Address(env: Record<string, string | undefined> = {}): string {\n  return env[CHANNELS.${c.key}.envVar] || CHANNELS.${c.key}.address;\n}\n`;
  }
  out += `/** Validates one message of \`${c.address}\` (throws ContractViolationError). */\n`;
  out += `export function validate${T}Message(value: unknown): ${T}Message {\n`;
  if (c.messages.length === 1) {
    const s = c.messages[0].schemaName;
    out += `  return check<${T}Message>(V.${s}, ${q(s)}, value);\n}\n`;
  } else {
    out += `  const errors: unknown[] = [];\n`;
    for (const m of c.messages) {
      out += `  if (V.${m.schemaName}(value)) return value as ${T}Message;\n  errors.push(V.${m.schemaName}.errors);\n`;
    }
    out += `  throw new ContractViolationError(${q(c.messages.map((m) => m.schemaName).join('|'))}, errors);\n}\n`;
  }
  out += `/** Serialises a message for \`${c.address}\`, validating it first. */\n`;
  out += `export function encode${T}Message(message: ${T}Message): string {\n  return JSON.stringify(validate${T}Message(message));\n}\n`;
  out += `/** Parses a message received on \`${c.address}\`, validating it. */\n`;
  out += `export function parse${T}Message(raw: string | Buffer): ${T}Message {\n  return validate${T}Message(decode(raw));\n}\n`;
  if (c.parameters.length) {
    out += `/** Validates and publishes on \`${c.address}\`; resolves to the number of receivers. */\n`;
    out += `export function publish${T}(publisher: RedisPublisher, params: ${T}Params, message: ${T}Message): Promise<number> {\n  return publisher.publish(${c.key}Address(params), encode${T}Message(message));\n}\n\n`;
  } else {
    out += `/** Validates and publishes on \`${c.address}\` (or the configured override); resolves to the number of receivers. */\n`;
    out += `export function publish${T}(publisher: RedisPublisher, message: ${T}Message, channel: string = CHANNELS.${c.key}.address): Promise<number> {\n  return publisher.publish(channel, encode${T}Message(message));\n}\n\n`;
  }
  return out;
}

function renderKey(k) {
  const T = pascal(k.key);
  const S = k.schemaName;
  let out = `// ${k.pattern} (${k.redisType}, TTL ${k.ttlSeconds} s)${S ? ` holds S.${S}` : ''}\n`;
  const params = `params: { ${k.parameters.map((p) => `${p}: string`).join('; ')} }`;
  out += `export function ${k.key}Key(${params}): string {\n  return fill(REDIS_KEYS.${k.key}.pattern, params);\n}\n`;
  out += `export const ${k.key.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}_TTL_SECONDS = ${k.ttlSeconds};\n`;
  if (!S) return out + '\n';
  out += `export function encode${T}Record(record: S.${S}): string {\n  return JSON.stringify(check<S.${S}>(V.${S}, ${q(S)}, record));\n}\n`;
  out += `export function parse${T}Record(raw: string | Buffer): S.${S} {\n  return check<S.${S}>(V.${S}, ${q(S)}, decode(raw));\n}\n`;
  if (k.redisType === 'string') {
    out += `/** GETs \`${k.pattern}\`: null when there is no such key, else the record, validated (ContractViolationError when off-contract). */\n`;
    out += `export async function read${T}Record(reader: RedisReader, ${params}): Promise<S.${S} | null> {\n  const raw = await reader.get(${k.key}Key(params));\n  return raw === null ? null : parse${T}Record(raw);\n}\n`;
  }
  return out + '\n';
}

export function renderRedis(asyncapi) {
  const channels = channelModels(asyncapi);
  const keys = keyModels(asyncapi);
  let out = BANNER + PRELUDE;

  out += `// ---------------------------------------------------------------- channels\n\n`;
  const chMeta = channels.map(
    (c) =>
      `  ${c.key}: { address: ${q(c.address)}, parameters: [${c.parameters.map(q).join(', ')}], envVar: ${c.envVar ? q(c.envVar) : 'null'}, messages: [${c.messages.map((m) => q(m.schemaName)).join(', ')}] },`,
  );
  out += `export const CHANNELS = {\n${chMeta.join('\n')}\n} as const;\n\n`;
  for (const p of patternModels(asyncapi)) {
    out += `/** Subscription pattern \`${p.pattern}\`. */\nexport const ${p.key.toUpperCase()}_PATTERN = ${q(p.pattern)};\n\n`;
  }
  out += channels.map(renderChannel).join('');

  out += `// ---------------------------------------------------------------- keys\n\n`;
  const keyMeta = keys.map(
    (k) =>
      `  ${k.key}: { pattern: ${q(k.pattern)}, parameters: [${k.parameters.map(q).join(', ')}], ttlSeconds: ${k.ttlSeconds}, type: ${q(k.redisType)}, schema: ${k.schemaName ? q(k.schemaName) : 'null'} },`,
  );
  out += `export const REDIS_KEYS = {\n${keyMeta.join('\n')}\n} as const;\n\n`;
  out += keys.map(renderKey).join('');

  out += `/** Validates any workbench notification (the union of every \`workbench:*\` message). */\n`;
  out += `export function parseWorkbenchNotification(raw: string | Buffer): S.WorkbenchNotification {\n  return check<S.WorkbenchNotification>(V.WorkbenchNotification, 'WorkbenchNotification', decode(raw));\n}\n`;
  return out;
}

export default function ({ asyncapi }) {
  return <File name="redis.ts">{renderRedis(asyncapi)}</File>;
}
