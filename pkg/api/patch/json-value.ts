// Plain JSON values as decoded from a request body. Keys come from clients, so a key such as
// "__proto__" must stay an ordinary member: read with own(), write with assign().

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The member `key` of `obj` if it has its own, else undefined (never an inherited value). */
export const own = (obj: JsonObject, key: string): unknown => (Object.hasOwn(obj, key) ? obj[key] : undefined);

/** Sets member `key`, as data even for "__proto__". */
export function assign(obj: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}
