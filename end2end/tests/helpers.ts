import { execFileSync } from "node:child_process";
import { expect, type Browser, type Page } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";
import { mailLinks, waitForMail } from "../mail";

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };
const SHOTS = path.join(__dirname, "..", "screenshots");

// Hydration panics leave a page that looks right but ignores clicks; every page a test
// opens is watched for them, and the waits below fail the test when one happened.
const hydrationErrors = new WeakMap<Page, string[]>();

function watch(page: Page) {
  if (hydrationErrors.has(page)) return;
  const seen: string[] = [];
  hydrationErrors.set(page, seen);
  page.on("console", (message) => {
    if (message.type() === "error" && /hydration error|panicked at/i.test(message.text())) seen.push(message.text());
  });
  page.on("pageerror", (error) => seen.push(error.message));
}

/** Fails if the page logged a hydration error or a WASM panic. */
export function expectNoHydrationErrors(page: Page) {
  expect(hydrationErrors.get(page) ?? [], "hydration errors or panics in the browser console").toEqual([]);
}

/** Opens `url` and waits until the WASM has hydrated the page, so clicks are handled
 * (a page the server sends without the WASM, `data-wasm="none"`, once it is loaded). */
export async function openHydrated(page: Page, url: string) {
  watch(page);
  await page.goto(url);
  await waitHydrated(page);
}

export async function waitHydrated(page: Page) {
  watch(page);
  const ready = page.locator('html[data-wasm="none"], #root[data-hydrated="true"]');
  await expect(ready.first()).toBeAttached({ timeout: 20_000 });
  expectNoHydrationErrors(page);
}

/** Screenshots the current page at phone and desktop size (screenshots/<name>-phone|desktop.png). */
export async function screenshots(page: Page, name: string) {
  expectNoHydrationErrors(page);
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
  expectNoHydrationErrors(page);
}

/** The password of every demo login (`./fieldbook demo`). */
export const DEMO_PASSWORD = "demo-fieldbook-2026";

/** Logs in through the workspace's login page and waits for the app. */
export async function logIn(page: Page, slug: string, email: string, password = DEMO_PASSWORD) {
  await openHydrated(page, `/${slug}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/app/);
}

/** A time page hydrates its parts after the document: wait until they take clicks. */
export async function waitReady(page: Page, selector = "[data-ready]") {
  await expect(page.locator(selector).first()).toHaveAttribute("data-ready", "true", { timeout: 20_000 });
  expectNoHydrationErrors(page);
}

/**
 * Follows the verification link mailed to `email` (read from the mail sink) in `page`,
 * confirms, and continues into the app.
 */
export async function confirmEmailFromMail(page: Page, email: string) {
  const mail = await waitForMail(email, { subject: /Confirm your email/ });
  const [link] = mailLinks(mail, "/verify-email");
  expect(link, "a verification link in the mail").toBeTruthy();
  await openHydrated(page, link);
  await page.getByTestId("confirm-email").click();
  await expect(page.getByTestId("verified")).toBeVisible();
  await page.getByRole("link", { name: "Continue to Fieldbook" }).click();
  await expect(page).toHaveURL(/\/app\//);
  await waitHydrated(page);
}

/** One value from the e2e database (psql is on the machine: the test command runs PostgreSQL). */
export function sql(query: string): string {
  return execFileSync("psql", [process.env.E2E_DATABASE_URL ?? "", "-qAtX", "-c", query], { encoding: "utf8" }).trim();
}

/** A Northwind demo login calling the server functions, as its browser would. */
export async function serverFunctionsAs(browser: Browser, baseURL: string, email: string) {
  const context = await browser.newContext({ baseURL });
  const headers = { Origin: baseURL };
  const login = await context.request.post("/rpc/auth/log_in", {
    data: { form: { workspace: "northwind", email, password: DEMO_PASSWORD } },
    headers,
  });
  expect(login.ok()).toBeTruthy();
  const rpc = async (name: string, data: unknown) => {
    const response = await context.request.post(`/rpc/${name}`, { data, headers });
    expect(response.ok(), `${name}: ${await response.text()}`).toBeTruthy();
    return response.json();
  };
  return { rpc, close: () => context.close() };
}
