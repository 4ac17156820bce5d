// After `cargo leptos build --release`: names the bundle after its content
// (fieldbook.<hash>.wasm, with the names in hash.txt beside the server binary, where
// Leptos looks for them), writes the service worker into the site with the Workbox
// runtime copied next to it, and precompresses the site's files (brotli and gzip) for
// the server to send as they are.
//   node pwa/build.mjs [site-root] [server-binary-dir]   (default: target/site target/release)
import { copyWorkboxLibraries, injectManifest } from "workbox-build";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";

const here = import.meta.dirname;
const site = path.resolve(process.argv[2] ?? path.join(here, "..", "target", "site"));
const serverDir = path.resolve(process.argv[3] ?? path.join(here, "..", "target", "release"));
if (!fs.existsSync(path.join(site, "pkg"))) {
  console.error(`no built site at ${site}: run cargo leptos build --release first`);
  process.exit(1);
}

// Content-hashed names (cached `immutable` by the server). Run again on an already
// renamed bundle, it keeps the names and hash.txt it made.
const pkg = path.join(site, "pkg");
const contentHash = (...buffers) => {
  const hash = crypto.createHash("sha256");
  for (const buffer of buffers) hash.update(buffer);
  return hash.digest("base64url").slice(0, 22);
};
const hashes = [];

// A split build (`cargo leptos build --split`): the main WASM module, a loader
// (`__wasm_split.<22 underscores>.js`, the placeholder cargo-leptos leaves for a hash)
// and the pages' parts and shared chunks, which the loader fetches relative to itself.
const LOADER = "__wasm_split.______________________.js";
const loaderFile = path.join(pkg, LOADER);
const split = fs.existsSync(loaderFile);
if (split) {
  let loader = fs.readFileSync(loaderFile, "utf8");
  const renamed = new Map();
  for (const file of fs.readdirSync(pkg)) {
    const part = /^((?:split_\w+|chunk_\d+))\.wasm$/.exec(file);
    if (!part) continue;
    const stem = `${part[1]}.${contentHash(fs.readFileSync(path.join(pkg, file)))}`;
    fs.renameSync(path.join(pkg, file), path.join(pkg, `${stem}.wasm`));
    renamed.set(part[1], stem);
  }
  loader = loader.replace(/\.\/((?:split_\w+|chunk_\d+))\.wasm/g, (whole, stem) => {
    if (!renamed.has(stem)) throw new Error(`the split loader names ${whole}, which the build did not write`);
    return `./${renamed.get(stem)}.wasm`;
  });
  // The server reads the manifest (which chunks a page needs) with the new names.
  const manifestFile = path.join(pkg, "__wasm_split_manifest.json");
  if (fs.existsSync(manifestFile)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
    for (const chunks of Object.values(manifest)) chunks.forEach((stem, i) => (chunks[i] = renamed.get(stem) ?? stem));
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  }
  // The main JS imports the loader and the loader imports the main JS: both are named
  // after one hash of the two, so a change in either renames both.
  const mainJsFile = path.join(pkg, "fieldbook.js");
  let mainJs = fs.readFileSync(mainJsFile, "utf8");
  const hash = contentHash(mainJs, loader);
  if (!mainJs.includes(LOADER) || !loader.includes('"./fieldbook.js"')) {
    console.error("the split build's main JS and loader do not name each other as expected");
    process.exit(1);
  }
  mainJs = mainJs.replaceAll(LOADER, `__wasm_split.${hash}.js`);
  loader = loader.replaceAll('"./fieldbook.js"', `"./fieldbook.${hash}.js"`);
  fs.writeFileSync(path.join(pkg, `fieldbook.${hash}.js`), mainJs);
  fs.writeFileSync(path.join(pkg, `__wasm_split.${hash}.js`), loader);
  // The main WASM imports the loader's functions under the loader's module name (the
  // key of wasm-bindgen's imports object): renamed in place, the same length as the
  // placeholder, so the module's sizes stay valid. Its own hash is taken after this.
  const mainWasmFile = path.join(pkg, "fieldbook.wasm");
  const wasm = fs.readFileSync(mainWasmFile);
  const placeholder = Buffer.from(LOADER);
  const named = Buffer.from(`__wasm_split.${hash}.js`);
  if (named.length !== placeholder.length) throw new Error("the loader's hash must be as long as its placeholder");
  let renamedImports = 0;
  for (let at = wasm.indexOf(placeholder); at !== -1; at = wasm.indexOf(placeholder, at + placeholder.length)) {
    named.copy(wasm, at);
    renamedImports += 1;
  }
  if (renamedImports === 0) throw new Error("the split build's main WASM imports no loader functions");
  fs.writeFileSync(mainWasmFile, wasm);
  fs.rmSync(mainJsFile);
  fs.rmSync(loaderFile);
  hashes.push(`js: ${hash}`, `split: ${hash}`);
}
for (const ext of split ? ["wasm", "css"] : ["js", "wasm", "css"]) {
  const plain = path.join(pkg, `fieldbook.${ext}`);
  if (!fs.existsSync(plain)) continue;
  const hash = contentHash(fs.readFileSync(plain));
  fs.renameSync(plain, path.join(pkg, `fieldbook.${hash}.${ext}`));
  hashes.push(`${ext}: ${hash}`);
}
// Type declarations of the generated JS: not for the browser.
for (const file of fs.readdirSync(pkg)) if (file.endsWith(".d.ts")) fs.rmSync(path.join(pkg, file));
const expected = split ? 4 : 3;
if (hashes.length === expected) {
  fs.writeFileSync(path.join(serverDir, "hash.txt"), `${hashes.join("\n")}\n`);
} else if (hashes.length > 0) {
  console.error(`only ${hashes.join(", ")} found in ${pkg}: expected fieldbook.js, .wasm and .css`);
  process.exit(1);
}

// Old runtimes and compressed copies from earlier builds go first.
for (const entry of fs.readdirSync(site)) {
  if (entry.startsWith("workbox-v")) fs.rmSync(path.join(site, entry), { recursive: true });
}
const workboxDir = await copyWorkboxLibraries(site);
// Only the production runtime files are served: drop the dev builds and source maps.
for (const file of fs.readdirSync(path.join(site, workboxDir))) {
  if (file.endsWith(".map") || file.includes(".dev.")) fs.rmSync(path.join(site, workboxDir, file));
}

const source = fs.readFileSync(path.join(here, "sw-src.js"), "utf8").replaceAll("__WORKBOX_DIR__", workboxDir);
const temporary = fs.mkdtempSync(path.join(os.tmpdir(), "fieldbook-sw-"));
const swSrc = path.join(temporary, "sw.js");
fs.writeFileSync(swSrc, source);
const { count, size, warnings } = await injectManifest({
  swSrc,
  swDest: path.join(site, "sw.js"),
  globDirectory: site,
  globPatterns: [
    "pkg/*.{js,wasm,css}",
    "*.{png,svg,webmanifest}",
    "offline.html",
    "offline.css",
    "pwa.js",
    "offline-queue.js",
  ],
  globIgnores: ["**/*.br", "**/*.gz", "sw.js"],
  // Files whose names carry a content hash need no revision of their own.
  dontCacheBustURLsMatching: /\.[0-9a-zA-Z_-]{16,}\.(js|wasm|css)$/,
  maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
});
fs.rmSync(temporary, { recursive: true });
for (const warning of warnings) console.warn(`workbox: ${warning}`);

// Precompressed copies, picked by the server from Accept-Encoding.
let compressed = 0;
function compress(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      compress(file);
      continue;
    }
    if (!/\.(js|wasm|css|html|svg|webmanifest|json)$/.test(entry.name)) continue;
    const data = fs.readFileSync(file);
    if (data.length < 1024) continue;
    fs.writeFileSync(
      `${file}.br`,
      zlib.brotliCompressSync(data, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        },
      }),
    );
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
    compressed += 1;
  }
}
for (const dir of [site, path.join(site, "pkg")]) {
  for (const entry of fs.readdirSync(dir)) {
    if (entry.endsWith(".br") || entry.endsWith(".gz")) fs.rmSync(path.join(dir, entry));
  }
}
compress(site);
console.log(
  `service worker: ${count} files precached (${(size / 1024).toFixed(0)} KiB), runtime ${workboxDir}; ${compressed} files precompressed`,
);
