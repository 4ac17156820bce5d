// What a phone downloads before a page answers: for each route, opens it in a fresh
// Chromium (no service worker, empty cache) until the WASM has hydrated it (or, for a
// page sent without the WASM, until it has loaded), and sums
// the JS, WASM and CSS it fetched — raw, gzip -9 and brotli -q 11 (the precompressed
// files the server sends). Run by bench/bundle.sh, which starts the server.
//   node bench/bundle.mjs <base-url> <site-root>
import { createRequire } from "node:module";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";

const root = path.join(import.meta.dirname, "..");
const require = createRequire(path.join(root, "end2end", "package.json"));
const { chromium } = require("@playwright/test");

const [base, site] = process.argv.slice(2);
const PASSWORD = "demo-fieldbook-2026";
const routes = [
  { name: "sign-in (/northwind/login)", path: "/northwind/login" },
  { name: "worker: My jobs (/app/my-jobs)", path: "/app/my-jobs", login: "walter@northwind.example" },
  { name: "admin: dashboard (/app/dashboard)", path: "/app/dashboard", login: "alice@northwind.example" },
];

function sizes(urlPath) {
  const file = path.join(site, urlPath);
  const data = fs.readFileSync(file);
  const compressed = (suffix, make) => (fs.existsSync(file + suffix) ? fs.statSync(file + suffix).size : make(data).length);
  return {
    raw: data.length,
    gzip: compressed(".gz", (d) => zlib.gzipSync(d, { level: 9 })),
    brotli: compressed(".br", (d) => zlib.brotliCompressSync(d, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } })),
  };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const results = [];
for (const route of routes) {
  const context = await browser.newContext({ baseURL: base, serviceWorkers: "block", viewport: { width: 390, height: 844 } });
  if (route.login) {
    const response = await context.request.post("/rpc/auth/log_in", {
      data: { form: { workspace: "northwind", email: route.login, password: PASSWORD } },
      headers: { Origin: base },
    });
    if (!response.ok()) throw new Error(`log in as ${route.login}: ${response.status()}`);
  }
  const page = await context.newPage();
  const fetched = new Set();
  page.on("requestfinished", (request) => {
    const url = new URL(request.url());
    if (url.origin === new URL(base).origin && /\.(js|wasm|css)$/.test(url.pathname)) fetched.add(url.pathname);
  });
  const started = Date.now();
  await page.goto(route.path);
  // Interactive: hydrated, or loaded for a page sent without the WASM (sign-in).
  await page.locator('html[data-wasm="none"], #root[data-hydrated="true"]').first().waitFor({ state: "attached", timeout: 30_000 });
  await page.waitForLoadState("load");
  const interactiveMs = Date.now() - started;
  // Chromium's own verdict on installability (what its install button goes by).
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
  // (A Playwright context is a private profile, which Chromium never installs into.)
  const blocking = installabilityErrors.filter((e) => e.errorId !== "in-incognito");
  const installable = blocking.length === 0 ? "installable" : blocking.map((e) => e.errorId).join(",");
  const total = { raw: 0, gzip: 0, brotli: 0 };
  const files = [];
  // A split build's parts and shared chunks: summed into one line.
  const chunks = { count: 0, brotli: 0 };
  for (const file of [...fetched].sort()) {
    const s = sizes(file);
    if (/\/pkg\/(split_|chunk_)/.test(file)) {
      chunks.count += 1;
      chunks.brotli += s.brotli;
    } else {
      files.push(`${file} ${kb(s.brotli)} br`);
    }
    for (const key of Object.keys(total)) total[key] += s[key];
  }
  if (chunks.count > 0) files.push(`/pkg/: the page's part and shared chunks, ${chunks.count} files, ${kb(chunks.brotli)} br`);
  results.push({ route: route.name, ...total, interactiveMs, installable, files });
  await context.close();
}
await browser.close();

console.log("Bytes fetched before the page was interactive (JS + WASM + CSS):");
console.log("route".padEnd(36), "raw".padStart(11), "gzip".padStart(11), "brotli".padStart(11), "  interactive after");
for (const r of results) {
  console.log(
    r.route.padEnd(36),
    kb(r.raw).padStart(11),
    kb(r.gzip).padStart(11),
    kb(r.brotli).padStart(11),
    `  ${r.interactiveMs} ms (loopback)  ${r.installable}`,
  );
  for (const file of r.files) console.log(`    ${file}`);
}
