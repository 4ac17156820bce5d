import { expect, test } from "@playwright/test";
import * as fs from "node:fs";
import { logIn, openHydrated, screenshots, waitHydrated } from "./helpers";

test("an admin reads who changed what in the audit log, filters it and downloads it", async ({ page }) => {
  await logIn(page, "northwind", "alice@northwind.example");
  // A change to find: a new customer, then a new phone number for it.
  const name = `Audit Bakery ${Date.now()}`;
  await openHydrated(page, "/app/customers");
  await page.getByRole("button", { name: "New customer" }).click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Add customer" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${name} was added.` })).toBeVisible();
  await page.getByRole("link", { name }).click();
  await waitHydrated(page);
  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByLabel("Phone").fill("+49 30 7654321");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("+49 30 7654321")).toBeVisible();

  // Team → Audit log.
  await openHydrated(page, "/app/users");
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/app\/audit$/);
  await waitHydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  const newest = page.getByTestId("audit-entry").first();
  await expect(newest).toContainText("Alice Meyer");
  await expect(newest).toContainText("customer.updated");
  await expect(newest).toContainText("+49 30 7654321");

  // Only customer changes.
  await page.getByLabel("Record").selectOption("customer");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/record=customer/);
  await expect(page.getByTestId("audit-entry").first()).toContainText("customer.");
  for (const entry of await page.getByTestId("audit-entry").all()) {
    await expect(entry).toContainText("customer");
  }
  await expect(page.getByTestId("audit-entry").filter({ hasText: "customer.created" }).filter({ hasText: name })).toHaveCount(1);
  await screenshots(page, "audit-log-customers");

  // The same view as CSV.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toBe("audit-log.csv");
  const csv = fs.readFileSync((await download.path())!, "utf8");
  expect(csv.split("\r\n")[0]).toBe("time (UTC),time (company),who,action,record,record id,changes");
  expect(csv).toContain(name);
  expect(csv).not.toContain("auth.login");
});
