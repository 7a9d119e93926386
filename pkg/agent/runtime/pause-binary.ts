/**
 * The pod sandbox's process: a static ELF executable of a few hundred bytes that blocks in the
 * kernel forever, written out here byte by byte so that no image has to be pulled and no compiler
 * is needed (DESIGN.md §6). It holds the pod's network namespace; it is only ever removed with
 * SIGKILL (as PID 1 without handlers it ignores SIGTERM), so it needs no signal handling.
 */
export type Arch = 'x64' | 'arm64';

const LOAD_ADDRESS = 0x400000n;
const ELF_HEADER = 64;
const PROGRAM_HEADER = 56;

// x86-64: loop { pause() }  —  mov eax, 34; syscall; jmp loop
const x64Code = Buffer.from([0xb8, 0x22, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xeb, 0xf7]);

// arm64 has no pause(): loop { ppoll(NULL, 0, NULL, NULL, 0) }, which sleeps until a signal.
const arm64Code = Buffer.from(new Uint32Array([
  0xd2800928, // movz x8, #73 (ppoll)
  0xd2800000, // movz x0, #0
  0xd2800001, // movz x1, #0
  0xd2800002, // movz x2, #0
  0xd2800003, // movz x3, #0
  0xd4000001, // svc #0
  0x17fffffa, // b loop (6 instructions back)
]).buffer);

const machines: Record<Arch, { machine: number; code: Buffer }> = {
  x64: { machine: 0x3e, code: x64Code },
  arm64: { machine: 0xb7, code: arm64Code },
};

/** The executable for `arch`: one ELF header, one loadable read+execute segment, the code. */
export function pauseBinary(arch: Arch): Buffer {
  const { machine, code } = machines[arch];
  const size = ELF_HEADER + PROGRAM_HEADER + code.length;
  const b = Buffer.alloc(size);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2 /* 64-bit */, 1 /* little endian */, 1 /* ELF version */], 0);
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(machine, 18);
  b.writeUInt32LE(1, 20); // EV_CURRENT
  b.writeBigUInt64LE(LOAD_ADDRESS + BigInt(ELF_HEADER + PROGRAM_HEADER), 24); // entry
  b.writeBigUInt64LE(BigInt(ELF_HEADER), 32); // program headers right after this header
  b.writeUInt16LE(ELF_HEADER, 52);
  b.writeUInt16LE(PROGRAM_HEADER, 54);
  b.writeUInt16LE(1, 56); // one program header
  b.writeUInt16LE(64, 58); // section header size (there are none)

  const ph = ELF_HEADER;
  b.writeUInt32LE(1, ph); // PT_LOAD
  b.writeUInt32LE(5, ph + 4); // PF_R | PF_X
  b.writeBigUInt64LE(0n, ph + 8); // the whole file, from offset 0
  b.writeBigUInt64LE(LOAD_ADDRESS, ph + 16);
  b.writeBigUInt64LE(LOAD_ADDRESS, ph + 24);
  b.writeBigUInt64LE(BigInt(size), ph + 32);
  b.writeBigUInt64LE(BigInt(size), ph + 40);
  b.writeBigUInt64LE(0x1000n, ph + 48);

  code.copy(b, ELF_HEADER + PROGRAM_HEADER);
  return b;
}
