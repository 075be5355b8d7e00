// Java and Python models of every message in asyncapi.yaml, made by @asyncapi/modelina. Modelina's own
// constraint output does not fit (javax annotations that need a validator, `@Max(9999999999)` on an `int`;
// no Python constraints at all, and a const default it quotes twice), so the presets here render what the
// schemas say: Java classes get `validate()` and a validating `fromJson`, Python fields get pydantic v2
// constraints, `Literal` consts and an ISO-offset check. The output itself is never edited.
import {
  ConstrainedDictionaryModel,
  FormatHelpers,
  JAVA_JACKSON_PRESET,
  JavaGenerator,
  PYTHON_PYDANTIC_PRESET,
  PythonGenerator,
  type ConstrainedObjectPropertyModel,
  type JavaPreset,
  type PythonPreset,
} from '@asyncapi/modelina';
import type { JsonSchema, SpecModel } from './spec';

export const JAVA_MESSAGES_PACKAGE = 'com.dwp.client.messages';
export const PYTHON_MESSAGES_PACKAGE = 'dwp_client.messages';

/** asyncapi.yaml with its openapi.yaml payload schemas copied in (only those the messages reach). */
function messagesDocument(spec: SpecModel): JsonSchema {
  const doc = JSON.parse(JSON.stringify(spec.asyncapi).replaceAll('./openapi.yaml#/components/schemas/', '#/components/schemas/'));
  delete doc['x-redis-keys'];
  delete doc['x-redis-patterns'];
  const needed = new Set<string>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const ref = (node as JsonSchema).$ref;
    if (typeof ref === 'string') {
      const name = ref.split('/').pop()!;
      if (!needed.has(name)) {
        needed.add(name);
        walk(spec.schemas[name]);
      }
    }
    for (const v of Object.values(node)) walk(v);
  };
  walk(doc.components.messages);
  const schemas: Record<string, JsonSchema> = {};
  for (const name of [...needed].sort()) {
    const schema = JSON.parse(JSON.stringify(spec.schemas[name]));
    // An inline enum (CASE_ACTION's `message`) is named after its property, not `AnonymousSchema_N`.
    for (const [prop, s] of Object.entries<JsonSchema>(schema.properties ?? {})) {
      if (!s.$ref && Array.isArray(s.enum)) s.$id = `${name}${FormatHelpers.toPascalCase(prop)}`;
    }
    schemas[name] = schema;
  }
  doc.components.schemas = schemas;
  // Modelina's AsyncAPI input reads 3.0 documents; this one uses nothing of 3.1.
  doc.asyncapi = '3.0.0';
  return doc;
}

/** Enum keys from the values, keeping letters of any script (the CASE_ACTION messages are Korean). */
function enumKey({ enumKey: key }: { enumKey: string }): string {
  let k = String(key).replace(/^"|"$/g, '').replace(/[^\p{L}\p{N}]+/gu, '_').replace(/^_+|_+$/g, '').toUpperCase();
  if (!k || /^\p{N}/u.test(k)) k = `V_${k}`;
  return k;
}

function schemaOf(p: ConstrainedObjectPropertyModel): JsonSchema {
  return (p.property.originalInput ?? {}) as JsonSchema;
}
const isUnwrapped = (p: ConstrainedObjectPropertyModel) =>
  p.property instanceof ConstrainedDictionaryModel && p.property.serializationType === 'unwrap';
const constOf = (s: JsonSchema): unknown => (s.const !== undefined ? s.const : undefined);
const javaString = (v: string) => JSON.stringify(v);
// A JSON string literal is a valid Python one (same escapes).
const pyString = (v: string) => JSON.stringify(v);

/** Modelina also returns a nameless model for the union of a channel's messages; it renders to nothing. */
const named = <T extends { modelName: string }>(models: T[]): T[] => models.filter((m) => m.modelName !== '');

// ------------------------------------------------------------------------------------------------ Java
const JAVA_VALIDATION_PRESET: JavaPreset = {
  class: {
    // A message that is one of a channel's several messages implements that channel's union interface, whose
    // Jackson DEDUCTION cannot tell an approval from a rejection (its fields are a subset); decoding the
    // concrete class must not deduce at all.
    self({ content }) {
      return / implements \w/.test(content.split('\n', 1)[0]) ? `@JsonTypeInfo(use = JsonTypeInfo.Id.NONE)\n${content}` : content;
    },
    additionalContent({ content, model, renderer }) {
      renderer.dependencyManager.addDependency('import com.fasterxml.jackson.databind.DeserializationFeature;');
      renderer.dependencyManager.addDependency('import com.fasterxml.jackson.databind.JsonNode;');
      renderer.dependencyManager.addDependency('import com.fasterxml.jackson.databind.MapperFeature;');
      renderer.dependencyManager.addDependency('import com.fasterxml.jackson.databind.ObjectMapper;');
      renderer.dependencyManager.addDependency('import com.fasterxml.jackson.databind.json.JsonMapper;');
      const checks: string[] = [];
      const consts: string[] = [];
      for (const p of Object.values(model.properties)) {
        if (isUnwrapped(p)) continue;
        const s = schemaOf(p);
        const f = `this.${p.propertyName}`;
        const name = javaString(p.unconstrainedPropertyName);
        const c = constOf(s);
        if (c !== undefined) {
          const test = typeof c === 'string' ? `!v.isTextual() || !${javaString(c)}.equals(v.asText())` : `!v.toString().equals(${javaString(JSON.stringify(c))})`;
          consts.push(`    { JsonNode v = node.get(${name}); if (v == null || ${test}) throw new IllegalArgumentException(${javaString(`${model.name}.${p.unconstrainedPropertyName} must be ${JSON.stringify(c)}`)}); }`);
          continue;
        }
        if (p.required) checks.push(`    if (${f} == null) errors.add(${name} + " is required");`);
        const lit = (n: number) => (s.type === 'integer' ? `${n}L` : `${n}d`);
        if (typeof s.minimum === 'number') checks.push(`    if (${f} != null && ${f} < ${lit(s.minimum)}) errors.add(${name} + " must be >= ${s.minimum}");`);
        if (typeof s.maximum === 'number') checks.push(`    if (${f} != null && ${f} > ${lit(s.maximum)}) errors.add(${name} + " must be <= ${s.maximum}");`);
        // A date-time is a java.time.OffsetDateTime: Jackson's parser already demands the offset.
        if (p.property.type === 'String') {
          if (typeof s.minLength === 'number') checks.push(`    if (${f} != null && ${f}.length() < ${s.minLength}) errors.add(${name} + " is shorter than ${s.minLength}");`);
          if (typeof s.maxLength === 'number') checks.push(`    if (${f} != null && ${f}.length() > ${s.maxLength}) errors.add(${name} + " is longer than ${s.maxLength}");`);
          if (typeof s.pattern === 'string') {
            checks.push(`    if (${f} != null && !java.util.regex.Pattern.compile(${javaString(s.pattern)}).matcher(${f}).find()) errors.add(${name} + " must match ${s.pattern.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}");`);
          }
        }
      }
      return `${content}
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
      .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
      .build();

  /** Checks what the schema says beyond the Java types; throws IllegalArgumentException listing every violation. */
  public void validate() {
    java.util.List<String> errors = new java.util.ArrayList<>();
${checks.join('\n')}
    if (!errors.isEmpty()) throw new IllegalArgumentException("${model.name}: " + String.join("; ", errors));
  }

  /** Decodes and validates one message (unknown fields are kept in additionalProperties). */
  public static ${model.name} fromJson(String json) throws java.io.IOException {
    return fromJsonNode(MAPPER.readTree(json));
  }

  public static ${model.name} fromJsonNode(JsonNode node) throws java.io.IOException {
    if (node == null || !node.isObject()) throw new IllegalArgumentException("${model.name}: not a JSON object");
${consts.join('\n')}
    ${model.name} message = MAPPER.treeToValue(node, ${model.name}.class);
    message.validate();
    return message;
  }

  public String toJson() throws java.io.IOException {
    return MAPPER.writeValueAsString(this);
  }`;
    },
  },
};

export async function emitJavaMessages(spec: SpecModel, dir: string): Promise<Record<string, string>> {
  const generator = new JavaGenerator({
    collectionType: 'List',
    // Boxed types, so a missing required field is null (and reported) rather than 0; unix seconds need a long.
    typeMapping: {
      Integer: ({ constrainedModel }) => {
        const max = (constrainedModel.originalInput as JsonSchema)?.maximum;
        return typeof max === 'number' && max > 2147483647 ? 'Long' : 'Integer';
      },
      Float: () => 'Double',
      Boolean: () => 'Boolean',
    },
    constraints: { enumKey },
    presets: [JAVA_JACKSON_PRESET, JAVA_VALIDATION_PRESET],
  });
  const models = await generator.generateCompleteModels(messagesDocument(spec), { packageName: JAVA_MESSAGES_PACKAGE });
  const files: Record<string, string> = {};
  for (const m of named(models)) files[`${dir}/${m.modelName}.java`] = `// Generated by @asyncapi/modelina from asyncapi.yaml (npm run generate). Do not edit.\n${m.result}\n`;
  return files;
}

// ---------------------------------------------------------------------------------------------- Python
const PY_STRICT: Record<string, boolean> = { int: true, str: true, bool: true, float: true };

const PYTHON_CONSTRAINTS_PRESET: PythonPreset = {
  class: {
    property({ property: p, renderer }) {
      const s = schemaOf(p);
      const optional = !p.required;
      let type = p.property.type;
      const args: string[] = [];
      const c = constOf(s);
      if (isUnwrapped(p)) return `${p.propertyName}: Optional[${type}] = Field(default=None, exclude=True)`;
      if (c !== undefined) {
        renderer.dependencyManager.addDependency('from typing import Literal');
        type = `Literal[${typeof c === 'string' ? pyString(c) : c === true ? 'True' : c === false ? 'False' : String(c)}]`;
      } else {
        if (PY_STRICT[type]) args.push('strict=True');
        if (typeof s.minimum === 'number') args.push(`ge=${s.minimum}`);
        if (typeof s.maximum === 'number') args.push(`le=${s.maximum}`);
        if (typeof s.minLength === 'number') args.push(`min_length=${s.minLength}`);
        if (typeof s.maxLength === 'number') args.push(`max_length=${s.maxLength}`);
        if (typeof s.pattern === 'string') args.push(`pattern=${pyString(s.pattern)}`);
      }
      if (optional) {
        type = `Optional[${type}]`;
        args.unshift('default=None');
      }
      if (p.propertyName !== p.unconstrainedPropertyName) args.push(`alias=${pyString(p.unconstrainedPropertyName)}`);
      if (typeof s.description === 'string') args.push(`description=${pyString(s.description)}`);
      return `${p.propertyName}: ${type} = Field(${args.join(', ')})`;
    },
    additionalContent({ content, model, renderer }) {
      const isoFields = Object.values(model.properties)
        .filter((p) => !isUnwrapped(p) && schemaOf(p).format === 'date-time')
        .map((p) => `'${p.propertyName}'`);
      renderer.dependencyManager.addDependency('from pydantic import ConfigDict');
      const parts = [content, `model_config = ConfigDict(populate_by_name=True)`];
      if (isoFields.length) {
        renderer.dependencyManager.addDependency('from pydantic import field_validator');
        renderer.dependencyManager.addDependency('from datetime import datetime');
        parts.push(`@field_validator(${isoFields.join(', ')})
@classmethod
def _iso_with_offset(cls, value):
  if value is None:
    return value
  parsed = datetime.fromisoformat(value[:-1] + '+00:00' if value.endswith('Z') else value)
  if parsed.tzinfo is None:
    raise ValueError('must be an ISO-8601 date-time with an explicit offset')
  return value`);
      }
      return parts.join('\n\n');
    },
  },
};

export async function emitPythonMessages(spec: SpecModel, dir: string): Promise<Record<string, string>> {
  const generator = new PythonGenerator({
    constraints: { enumKey },
    presets: [PYTHON_PYDANTIC_PRESET, PYTHON_CONSTRAINTS_PRESET],
  });
  const models = await generator.generateCompleteModels(messagesDocument(spec), { packageName: PYTHON_MESSAGES_PACKAGE });
  const files: Record<string, string> = {};
  const exports: string[] = [];
  const kept = named(models);
  for (const m of kept) {
    const module = FormatHelpers.snakeCase(m.modelName);
    files[`${dir}/${module}.py`] = `# Generated by @asyncapi/modelina from asyncapi.yaml (npm run generate). Do not edit.\n${m.result}\n`;
    exports.push(`from ${PYTHON_MESSAGES_PACKAGE}.${module} import ${m.modelName}`);
  }
  files[`${dir}/__init__.py`] =
    `# Generated by npm run generate from asyncapi.yaml: the message models (@asyncapi/modelina). Do not edit.\n` +
    `${exports.sort().join('\n')}\n\n__all__ = [${kept.map((m) => `'${m.modelName}'`).sort().join(', ')}]\n`;
  return files;
}

/** Both languages, under the generated clients (generated/clients/java and generated/clients/python). */
export async function emitMessageModels(spec: SpecModel): Promise<Record<string, string>> {
  return {
    ...(await emitJavaMessages(spec, `clients/java/src/main/java/${JAVA_MESSAGES_PACKAGE.replaceAll('.', '/')}`)),
    ...(await emitPythonMessages(spec, `clients/python/${PYTHON_MESSAGES_PACKAGE.replaceAll('.', '/')}`)),
  };
}
