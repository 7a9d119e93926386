import { describe, expect, it } from 'vitest';
import { DockerDemux } from '../../../pkg/agent/runtime/demux.ts';

const frame = (stream: number, text: string) => {
  const body = Buffer.from(text);
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(body.length, 4);
  return Buffer.concat([h, body]);
};

describe('DockerDemux', () => {
  it('yields stdout and stderr frames in the order written, across arbitrary chunk boundaries', () => {
    const all = Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err 1\n'), frame(1, ''), frame(1, 'out 2\n')]);
    for (let cut = 0; cut <= all.length; cut++) {
      const d = new DockerDemux();
      const got = [...d.push(all.subarray(0, cut)), ...d.push(all.subarray(cut))].map((f) => `${f.stream}:${f.payload.toString()}`);
      expect(got).toEqual(['1:out 1\n', '2:err 1\n', '1:', '1:out 2\n']);
      expect(d.pending).toBe(0);
    }
  });

  it('holds an unfinished frame until the rest arrives', () => {
    const d = new DockerDemux();
    const f = frame(2, 'abcdef');
    expect(d.push(f.subarray(0, 10))).toEqual([]);
    expect(d.pending).toBe(10);
    expect(d.push(f.subarray(10)).map((x) => x.payload.toString())).toEqual(['abcdef']);
  });

  it('reports stdin echoes (stream 0) as stdout', () => {
    expect(new DockerDemux().push(frame(0, 'x'))[0]!.stream).toBe(1);
  });
});
