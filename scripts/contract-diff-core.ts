// Breaking changes between two versions of a spec (plain objects, $refs left in place).
// openapi-diff (npm) cannot read OpenAPI 3.1 ("Swagger Parser only supports 3.0.x"), so this
// small structural differ covers the cases CI must refuse: a removed operation, channel,
// message or field; a new required field in a request; a narrowed type, enum or bound.
type Obj = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function types(s: Obj): Set<string> | undefined {
  if (s.type === undefined) return undefined;
  return new Set(Array.isArray(s.type) ? s.type : [s.type]);
}

/** Schema names a request body uses directly (new required fields there break callers). */
function requestSchemas(spec: Obj): Set<string> {
  const names = new Set<string>();
  const visit = (x: unknown) => {
    if (!x || typeof x !== 'object') return;
    for (const [k, v] of Object.entries(x as Obj)) {
      if (k === '$ref' && typeof v === 'string') names.add(v.split('/').pop()!);
      else visit(v);
    }
  };
  for (const item of Object.values<Obj>(spec.paths ?? {})) for (const m of METHODS) if (item[m]?.requestBody) visit(item[m].requestBody);
  // Follow refs one level at a time until stable: nested request objects count too.
  const schemas = spec.components?.schemas ?? {};
  for (let size = -1; size !== names.size; ) {
    size = names.size;
    for (const n of [...names]) visit(schemas[n]);
  }
  return names;
}

function diffSchema(where: string, a: Obj, b: Obj | undefined, isRequest: boolean, out: string[]): void {
  if (!b) return void out.push(`${where}: removed`);
  if (typeof a !== 'object' || typeof b !== 'object') return;
  const ta = types(a);
  const tb = types(b);
  if (ta && tb) for (const t of ta) if (!tb.has(t) && !(t === 'integer' && tb.has('number'))) out.push(`${where}: type ${t} no longer allowed`);
  if (!ta && tb) out.push(`${where}: type narrowed to ${[...tb].join('|')}`);
  if (Array.isArray(a.enum) && Array.isArray(b.enum)) for (const v of a.enum) if (!b.enum.includes(v)) out.push(`${where}: enum value ${JSON.stringify(v)} removed`);
  if (!Array.isArray(a.enum) && Array.isArray(b.enum)) out.push(`${where}: restricted to an enum`);
  if ('const' in b && !('const' in a)) out.push(`${where}: restricted to a constant`);
  for (const k of ['maximum', 'maxLength', 'maxItems'] as const) if (b[k] !== undefined && (a[k] === undefined || b[k] < a[k])) out.push(`${where}: ${k} lowered to ${b[k]}`);
  for (const k of ['minimum', 'minLength', 'minItems'] as const) if (b[k] !== undefined && (a[k] === undefined || b[k] > a[k])) out.push(`${where}: ${k} raised to ${b[k]}`);
  if (a.$ref && b.$ref && a.$ref !== b.$ref) out.push(`${where}: now ${b.$ref} instead of ${a.$ref}`);
  for (const [name, prop] of Object.entries<Obj>(a.properties ?? {})) diffSchema(`${where}.${name}`, prop, b.properties?.[name], isRequest, out);
  if (isRequest) for (const r of b.required ?? []) if (!(a.required ?? []).includes(r)) out.push(`${where}: new required request field ${r}`);
  if (a.items && typeof a.items === 'object') diffSchema(`${where}[]`, a.items, b.items, isRequest, out);
  for (const k of ['allOf', 'oneOf', 'anyOf'] as const) (a[k] ?? []).forEach((s: Obj, i: number) => diffSchema(`${where}.${k}[${i}]`, s, b[k]?.[i], isRequest, out));
}

export function openapiBreaking(a: Obj, b: Obj): string[] {
  const out: string[] = [];
  for (const [p, item] of Object.entries<Obj>(a.paths ?? {})) {
    for (const m of METHODS) {
      if (!item[m]) continue;
      const nb = b.paths?.[p]?.[m];
      if (!nb) {
        out.push(`${m.toUpperCase()} ${p}: operation removed`);
        continue;
      }
      const params = (x: Obj) => new Map<string, Obj>((x.parameters ?? []).map((q: Obj) => [`${q.in}:${q.name}`, q]));
      const pa = params(item[m]);
      for (const [k, q] of params(nb)) if (q.required && !pa.get(k)?.required) out.push(`${m.toUpperCase()} ${p}: new required parameter ${k}`);
      if (nb.requestBody?.required && !item[m].requestBody?.required) out.push(`${m.toUpperCase()} ${p}: request body now required`);
    }
  }
  const req = requestSchemas(b);
  for (const [name, s] of Object.entries<Obj>(a.components?.schemas ?? {})) diffSchema(`schema ${name}`, s, b.components?.schemas?.[name], req.has(name), out);
  return out;
}

export function asyncapiBreaking(a: Obj, b: Obj): string[] {
  const out: string[] = [];
  for (const [id, ch] of Object.entries<Obj>(a.channels ?? {})) {
    const nb = b.channels?.[id];
    if (!nb) {
      out.push(`channel ${id}: removed`);
      continue;
    }
    if (nb.address !== ch.address) out.push(`channel ${id}: address ${ch.address} → ${nb.address}`);
    for (const m of Object.keys(ch.messages ?? {})) if (!nb.messages?.[m]) out.push(`channel ${id}: message ${m} removed`);
  }
  for (const [id] of Object.entries<Obj>(a.operations ?? {})) if (!b.operations?.[id]) out.push(`operation ${id}: removed`);
  // Message payloads: consumers of a message break when a field goes or narrows.
  for (const [name, m] of Object.entries<Obj>(a.components?.messages ?? {})) {
    const nb = b.components?.messages?.[name];
    if (!nb) out.push(`message ${name}: removed`);
    else if (m.payload && typeof m.payload === 'object') diffSchema(`message ${name} payload`, m.payload, nb.payload, false, out);
  }
  for (const [name, s] of Object.entries<Obj>(a.components?.schemas ?? {})) diffSchema(`asyncapi schema ${name}`, s, b.components?.schemas?.[name], false, out);
  return out;
}
