import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf, messageFor, ProtobufError, UnsupportedProtobufError } from '../../../pkg/api/protobuf/index.ts';
import { mutateBytes } from '../../helpers/mutate.ts';
import { Random } from '../../helpers/random.ts';
import { encodeMessage } from './encode.ts';
import { envelope } from './writer.ts';

const fixtures = readFileSync(new URL('./fixtures/kubectl-create-dry-run.jsonl', import.meta.url), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const bodies = fixtures.map(({ apiVersion, kind, ...rest }) => envelope(apiVersion, kind, encodeMessage(messageFor(apiVersion, kind)!, rest)));

describe('decodeKubernetesProtobuf on damaged bytes', () => {
  it('either decodes to a JSON object or throws one of its own errors, for 20 000 mutations (seeded)', () => {
    const rnd = new Random(4242);
    const outcomes = { decoded: 0, malformed: 0, unsupported: 0 };
    for (let i = 0; i < 20_000; i++) {
      let body = rnd.pick(bodies);
      for (let n = 1 + rnd.int(3); n > 0; n--) body = mutateBytes(rnd, body);
      try {
        const obj = decodeKubernetesProtobuf(body);
        expect(typeof JSON.stringify(obj)).toBe('string');
        outcomes.decoded++;
      } catch (err) {
        if (err instanceof UnsupportedProtobufError) outcomes.unsupported++;
        else if (err instanceof ProtobufError) outcomes.malformed++;
        else throw new Error(`unexpected ${(err as Error)?.stack} for ${body.toString('hex')}`);
      }
    }
    console.log(`protobuf decode fuzz: ${JSON.stringify(outcomes)}`);
    // The mutations reach all three outcomes, so the loop exercises more than the magic check.
    expect(outcomes.decoded).toBeGreaterThan(100);
    expect(outcomes.malformed).toBeGreaterThan(1000);
    expect(outcomes.unsupported).toBeGreaterThan(10);
  });
});
