import { expect, type Page } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };
const SHOTS = path.join(__dirname, "..", "screenshots");

/** Opens `url` and waits until the WASM has hydrated the page, so clicks are handled. */
export async function openHydrated(page: Page, url: string) {
  await page.goto(url);
  await waitHydrated(page);
}

export async function waitHydrated(page: Page) {
  await expect(page.locator("#root")).toHaveAttribute("data-hydrated", "true", { timeout: 20_000 });
}

/** Screenshots the current page at phone and desktop size (screenshots/<name>-phone|desktop.png). */
export async function screenshots(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const original = page.viewportSize();
  for (const [label, size] of [["phone", PHONE], ["desktop", DESKTOP]] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${label}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

export function uniqueSlug(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}`;
}

/** A job page hydrates its parts after the document: wait until they take clicks. */
export async function waitJobReady(page: Page) {
  await expect(page.locator(".job-layout")).toHaveAttribute("data-ready", "true", { timeout: 20_000 });
}
