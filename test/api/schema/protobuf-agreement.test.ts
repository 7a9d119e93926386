import { describe, expect, it } from 'vitest';
import { schema as protoMessages } from '../../../pkg/api/protobuf/kinds.ts';
import { kindSchemaIds, resolve, schemas } from '../../../pkg/api/schema/index.ts';

// Both inventories are written from k8s.io/api v0.32 by hand, one per wire format; a field one of
// them misses would be dropped from protobuf bodies or called unknown in JSON ones.
describe('type schemas and protobuf messages', () => {
  it('name the same fields for every type both describe', () => {
    const disagreements: string[] = [];
    let compared = 0;
    for (const [id, message] of protoMessages) {
      const json = schemas[id];
      if (message.wrapper || !json) continue;
      compared++;
      const protoFields = message.order.flatMap((f) => (f.json ? [f.json] : []));
      const isKind = kindSchemaIds.includes(id);
      // TypeMeta travels in the protobuf envelope, not in the message.
      const jsonFields = Object.keys(resolve(json).properties ?? {}).filter((k) => !(isKind && (k === 'apiVersion' || k === 'kind')));
      for (const f of protoFields) if (!jsonFields.includes(f)) disagreements.push(`${id}.${f} only in protobuf`);
      // A message with an inlined embedded struct (`...`) lists fewer fields than its JSON form.
      if (message.order.every((f) => f.json)) {
        for (const f of jsonFields) if (!protoFields.includes(f)) disagreements.push(`${id}.${f} only in JSON`);
      }
    }
    expect(compared).toBeGreaterThan(200);
    expect(disagreements).toEqual([]);
  });

  it('cover every message of the authentication and authorization reviews', () => {
    const reviewMessages = [...protoMessages.keys()].filter((id) => /^auth(entication|orization)\.v1\./.test(id) && !protoMessages.get(id)!.wrapper);
    expect(reviewMessages.length).toBeGreaterThan(20);
    expect(reviewMessages.filter((id) => !schemas[id])).toEqual([]);
  });
});
