// Renders the app icons (PNG) from the logo with Debian's Chromium, after changing the logo:
// (from end2end/, where Playwright is installed)
//   node scripts/make-icons.mjs
// The PNGs are committed; the build does not need this script.
import { chromium } from "@playwright/test";
import * as path from "node:path";

const OUT = path.join(import.meta.dirname, "..", "..", "public");
const BRAND = "#0f5c4d";
// The "F" of favicon.svg, drawn in a 32-unit box.
const F = '<path d="M11 8h11v3.5h-7v3.5h6v3.5h-6V24h-4z" fill="#fff"/>';
// Rounded tile, as the favicon: for browsers that show the icon as it is.
const rounded = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="${BRAND}"/>${F}</svg>`;
// Full bleed, the letter inside the central 60 % safe zone: Android crops it to its own shape.
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="${BRAND}"/><g transform="translate(16 16) scale(0.62) translate(-16 -16)">${F}</g></svg>`;
// iOS rounds the corners itself and shows transparency as black: full bleed.
const apple = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="${BRAND}"/><g transform="translate(16 16) scale(0.8) translate(-16 -16)">${F}</g></svg>`;

const icons = [
  ["icon-192.png", rounded, 192],
  ["icon-512.png", rounded, 512],
  ["icon-maskable-512.png", maskable, 512],
  ["apple-touch-icon.png", apple, 180],
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
for (const [name, svg, size] of icons) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace("<svg ", `<svg width="${size}" height="${size}" `)}</body></html>`);
  await page.screenshot({ path: path.join(OUT, name), omitBackground: true });
  await page.close();
}
await browser.close();
console.log(`wrote ${icons.map(([name]) => name).join(", ")} to ${OUT}`);
