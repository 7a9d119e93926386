/**
 * A minimal ustar writer for the few small files skiff packs itself (the sandbox image's root
 * filesystem). Regular files only, names under 100 bytes, owned by root.
 */
export interface TarFile {
  name: string;
  data: Buffer;
  mode?: number;
}

const BLOCK = 512;

export function tar(files: TarFile[], mtime = 0): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    if (Buffer.byteLength(f.name) >= 100) throw new Error(`tar: name too long: ${f.name}`);
    const h = Buffer.alloc(BLOCK);
    h.write(f.name, 0, 'utf8');
    octal(h, 100, 8, f.mode ?? 0o644);
    octal(h, 108, 8, 0); // uid
    octal(h, 116, 8, 0); // gid
    octal(h, 124, 12, f.data.length);
    octal(h, 136, 12, mtime);
    h.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
    h.write('0', 156); // regular file
    h.write('ustar\u000000', 257, 'binary');
    let sum = 0;
    for (const byte of h) sum += byte;
    h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'binary');
    parts.push(h, f.data, Buffer.alloc((BLOCK - (f.data.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(2 * BLOCK)); // end of archive
  return Buffer.concat(parts);
}

function octal(b: Buffer, offset: number, width: number, value: number): void {
  b.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, 'binary');
}
