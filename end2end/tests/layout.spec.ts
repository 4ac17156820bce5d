import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";
import { DESKTOP, logIn, openHydrated } from "./helpers";

// Every page of every role fits a phone — nothing is wider than the screen at 360
// and 390 px (the top bar shortens the company name instead) — and axe-core finds no
// serious or critical WCAG 2.2 AA violation on it at phone or desktop size. The demo
// data is in the e2e database (the test command loads it before the suite).
// Each page is checked at three widths and analysed twice: the admin's 17 pages take a while.
test.describe.configure({ timeout: 240_000 });

const PHONES = [
  { width: 360, height: 740 },
  { width: 390, height: 844 },
];

/** Serious and critical axe findings on the page at `width`, one line each. The
 * viewport is as tall as the page, so nothing counts as covered by the sticky bars
 * merely because of where the page happens to be scrolled. */
async function accessibilityViolations(page: Page, width: number): Promise<string[]> {
  await page.setViewportSize({ width, height: 800 });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width, height: Math.max(800, Math.min(height, 6000)) });
  await page.waitForTimeout(100);
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}
const SHOTS = path.join(__dirname, "..", "screenshots", "layout");

/** The first link on `listPage` whose path matches `pattern` (a page with an id in it). */
async function firstLink(page: Page, listPage: string, pattern: RegExp): Promise<string> {
  await openHydrated(page, listPage);
  const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  const href = hrefs.find((h) => pattern.test(h));
  expect(href, `a link like ${pattern} on ${listPage}`).toBeTruthy();
  return href!;
}

async function expectFits(page: Page, pages: string[], role: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const url of pages) {
    // Opened once at the narrowest width, then resized: the layout follows the viewport.
    await page.setViewportSize(PHONES[0]);
    await openHydrated(page, url);
    for (const size of PHONES) {
      await page.setViewportSize(size);
      // Let late parts (hydrated after the document) and the new width lay out.
      await page.waitForTimeout(200);
      const { scrollWidth, innerWidth, widest } = await page.evaluate(() => {
        const width = window.innerWidth;
        let widest = "";
        for (const element of Array.from(document.querySelectorAll("body *"))) {
          const box = element.getBoundingClientRect();
          if (box.right > width + 1 && getComputedStyle(element).position !== "fixed") {
            widest = `${element.tagName.toLowerCase()}.${(element as HTMLElement).className} (${Math.round(box.right)} px)`;
            break;
          }
        }
        return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, widest };
      });
      expect(scrollWidth, `${role} ${url} at ${size.width} px is ${scrollWidth} px wide: ${widest}`).toBeLessThanOrEqual(
        innerWidth,
      );
      if (size.width === 360) {
        const name = `${role}${url.replace(/[0-9a-f-]{36}/, "id").replace(/[^a-z0-9]+/gi, "-")}`.replace(/-+$/, "");
        await page.screenshot({ path: path.join(SHOTS, `${name}-360.png`), fullPage: true });
      }
    }
    const onPhone = await accessibilityViolations(page, PHONES[1].width);
    const onDesktop = await accessibilityViolations(page, DESKTOP.width);
    expect.soft(onPhone, `${role} ${url} on a phone: axe violations`).toEqual([]);
    expect.soft(onDesktop, `${role} ${url} on a desktop: axe violations`).toEqual([]);
  }
}

test("public pages fit a phone and pass axe", async ({ page }) => {
  await expectFits(page, ["/", "/login", "/signup", "/northwind/login", "/forgot-password"], "public");
});

test("every admin page fits a phone and passes axe", async ({ page }) => {
  await logIn(page, "northwind", "alice@northwind.example");
  const job = await firstLink(page, "/app/jobs", /^\/app\/jobs\/[0-9a-f-]{36}$/);
  const customer = await firstLink(page, "/app/customers", /^\/app\/customers\/[0-9a-f-]{36}$/);
  const entry = await firstLink(page, "/app/logs", /^\/app\/time\/[0-9a-f-]{36}$/);
  await expectFits(
    page,
    [
      "/app/dashboard",
      "/app/jobs",
      "/app/jobs/new",
      job,
      `${job}/edit`,
      "/app/customers",
      customer,
      "/app/statuses",
      "/app/users",
      "/app/logs",
      entry,
      "/app/contracts",
      "/app/approvals",
      "/app/reports",
      "/app/account",
      "/app/notifications",
      "/app/outbox",
      "/app/audit",
      "/app/api",
    ],
    "admin",
  );
});

test("every worker page fits a phone and passes axe", async ({ page }) => {
  await logIn(page, "northwind", "walter@northwind.example");
  const job = await firstLink(page, "/app/my-jobs", /^\/app\/jobs\/[0-9a-f-]{36}$/);
  await expectFits(page, ["/app/my-jobs", job, "/app/time", "/app/reports", "/app/account", "/app/notifications"], "worker");
});

test("every customer page fits a phone and passes axe", async ({ page }) => {
  await logIn(page, "northwind", "carla@harbourcafe.example");
  const job = await firstLink(page, "/app/portal", /^\/app\/jobs\/[0-9a-f-]{36}$/);
  await expectFits(page, ["/app/portal", job, "/app/approvals", "/app/reports", "/app/account", "/app/notifications"], "customer");
});
