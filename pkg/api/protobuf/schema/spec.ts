/**
 * skiff's own notation for the Kubernetes protobuf messages it decodes. A package lists its
 * messages; each message is a list of fields written `<number> <json name> <type>`:
 *
 * - name `x!`: a non-pointer Go scalar without `omitempty` — its zero value is still written out;
 *   any other scalar at its zero value is left out, as Go's JSON encoder would.
 * - name `...`: an embedded struct whose fields JSON inlines into the parent (Volume's
 *   VolumeSource, Probe's ProbeHandler).
 * - type `*T`: a Go pointer — present on the wire means present in JSON, even at zero
 *   (`replicas: 0`); absent means absent. A bare message type is a Go value struct: always written,
 *   `{}` when the wire has nothing.
 * - type `[]T` repeated, `{string:T}` a map (entries on the wire are {1 key, 2 value}).
 * - scalar types: string bool int32 int64 double float bytes (bytes → base64 in JSON).
 * - well-known apimachinery types with their own JSON form: time microtime duration quantity
 *   intstr fieldsv1 rawext.
 * - other types name a message: bare in the same package, `pkg.version.Name` across packages.
 * - a message whose only entry starts with `=` is a wrapper whose JSON is that field's value
 *   (authentication's ExtraValue is a `[]string` in Go).
 */
export interface ProtoPackage {
  name: string;
  messages: Record<string, string[]>;
}

export const scalarTypes = ['string', 'bool', 'int32', 'int64', 'double', 'float', 'bytes'] as const;
export const wellKnownTypes = ['time', 'microtime', 'duration', 'quantity', 'intstr', 'fieldsv1', 'rawext'] as const;
export type ScalarType = (typeof scalarTypes)[number];
export type WellKnownType = (typeof wellKnownTypes)[number];

export type ValueType =
  | { kind: 'scalar'; type: ScalarType }
  | { kind: 'wellKnown'; type: WellKnownType }
  | { kind: 'message'; name: string };

export interface FieldSpec {
  number: number;
  /** JSON name; undefined for an inlined embedded struct. */
  json?: string;
  /** Written even at its zero value (non-omitempty Go scalar). */
  always: boolean;
  pointer: boolean;
  repeated: boolean;
  /** Map value type; keys are strings in every Kubernetes map. */
  map: boolean;
  value: ValueType;
}

export interface MessageSpec {
  name: string;
  fields: Map<number, FieldSpec>;
  /** JSON field order, as declared. */
  order: FieldSpec[];
  wrapper: boolean;
}

export function parseValueType(pkg: string, text: string): ValueType {
  if ((scalarTypes as readonly string[]).includes(text)) return { kind: 'scalar', type: text as ScalarType };
  if ((wellKnownTypes as readonly string[]).includes(text)) return { kind: 'wellKnown', type: text as WellKnownType };
  return { kind: 'message', name: text.split('.').length === 3 ? text : `${pkg}.${text}` };
}

export function parseField(pkg: string, text: string): FieldSpec {
  const m = /^(\d+) (\.\.\.|\w+)(!?) (.+)$/.exec(text);
  if (!m) throw new Error(`bad field spec "${text}" in ${pkg}`);
  const [, num, name, bang, typeText] = m;
  let t = typeText;
  const field: FieldSpec = { number: Number(num), always: bang === '!', pointer: false, repeated: false, map: false, value: { kind: 'scalar', type: 'string' } };
  if (name !== '...') field.json = name;
  if (t.startsWith('[]')) { field.repeated = true; t = t.slice(2); }
  else if (t.startsWith('{string:') && t.endsWith('}')) { field.map = true; t = t.slice(8, -1); }
  else if (t.startsWith('*')) { field.pointer = true; t = t.slice(1); }
  field.value = parseValueType(pkg, t);
  return field;
}

/** Every message of the packages, by `pkg.version.Name`; throws on a malformed table or a dangling type. */
export function buildSchema(packages: ProtoPackage[]): Map<string, MessageSpec> {
  const out = new Map<string, MessageSpec>();
  for (const p of packages) {
    for (const [name, fields] of Object.entries(p.messages)) {
      const wrapper = fields.length === 1 && fields[0].startsWith('=');
      const order = fields.map((f) => parseField(p.name, wrapper ? f.slice(1) : f));
      out.set(`${p.name}.${name}`, { name: `${p.name}.${name}`, fields: new Map(order.map((f) => [f.number, f])), order, wrapper });
    }
  }
  for (const m of out.values()) {
    for (const f of m.order) if (f.value.kind === 'message' && !out.has(f.value.name)) throw new Error(`${m.name}.${f.json}: unknown message ${f.value.name}`);
  }
  return out;
}
