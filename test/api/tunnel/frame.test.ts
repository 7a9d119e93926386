import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, FrameError, FrameType, parseStreamRequest } from '../../../pkg/api/tunnel/index.ts';

describe('encodeFrame / decodeFrame', () => {
  it('round-trips every frame type with its id and payload', () => {
    for (const type of Object.values(FrameType)) {
      const f = decodeFrame(encodeFrame(type, 0xfffffffe, Buffer.from([0, 1, 2, 255])));
      expect(f).toEqual({ type, id: 0xfffffffe, payload: Buffer.from([0, 1, 2, 255]) });
    }
    expect(encodeFrame(FrameType.end, 7)).toEqual(Buffer.from([4, 0, 0, 0, 7]));
    expect(decodeFrame(encodeFrame(FrameType.reset, 1, 'gone')).payload.toString()).toBe('gone');
  });

  it('refuses messages that are not frames', () => {
    expect(() => decodeFrame(Buffer.from([3, 0, 0]))).toThrow(FrameError);
    expect(() => decodeFrame(Buffer.from([3, 0, 0]))).toThrow('tunnel frame of 3 bytes is shorter than its 5-byte header');
    expect(() => decodeFrame(Buffer.from([9, 0, 0, 0, 1]))).toThrow('unknown tunnel frame type 9');
    expect(() => decodeFrame(Buffer.from([0, 0, 0, 0, 1]))).toThrow('unknown tunnel frame type 0');
  });
});

describe('parseStreamRequest', () => {
  const target = { namespace: 'ns', name: 'p', uid: 'u1', container: 'c', containerId: 'abc' };
  const parse = (v: unknown) => parseStreamRequest(Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)));

  it('accepts each kind of request', () => {
    expect(parse({ kind: 'log', target, follow: true, timestamps: false, tailLines: 3 }).kind).toBe('log');
    expect(parse({ kind: 'exec', target, command: ['ls'], stdin: false, stdout: true, stderr: true, tty: false }).kind).toBe('exec');
    expect(parse({ kind: 'attach', target, stdin: true, stdout: true, stderr: false, tty: true }).kind).toBe('attach');
    expect(parse({ kind: 'portforward', pod: { namespace: 'ns', name: 'p', uid: 'u1' }, port: 8080 }).kind).toBe('portforward');
  });

  it('says what is wrong with a bad request', () => {
    expect(() => parse('{')).toThrow('stream request is not JSON');
    expect(() => parse('null')).toThrow('stream request is not an object');
    expect(() => parse({ kind: 'shell' })).toThrow('unknown stream kind "shell"');
    expect(() => parse({ kind: 'log', target: { ...target, uid: '' }, follow: true, timestamps: false })).toThrow('stream request names no pod');
    expect(() => parse({ kind: 'log', target: { ...target, containerId: 7 }, follow: true, timestamps: false })).toThrow('stream request names no container');
    expect(() => parse({ kind: 'log', target, follow: 'yes', timestamps: false })).toThrow('follow must be a boolean');
    expect(() => parse({ kind: 'log', target, follow: true, timestamps: false, tailLines: -1 })).toThrow('tailLines must be a non-negative number');
    expect(() => parse({ kind: 'exec', target, command: [], stdin: false, stdout: true, stderr: true, tty: false })).toThrow('exec needs a command');
    expect(() => parse({ kind: 'portforward', pod: { namespace: 'ns', name: 'p', uid: 'u' }, port: 70000 })).toThrow('port must be 1-65535');
  });
});
