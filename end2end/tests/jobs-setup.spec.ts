import { test, expect } from "@playwright/test";
import { DESKTOP, confirmEmailFromMail, openHydrated, screenshots, uniqueSlug, waitHydrated } from "./helpers";

// Issue 3, first steps of the admin's story: statuses, customers, a linked customer login.
test.describe.configure({ mode: "serial" });

const slug = uniqueSlug("hill");
const admin = { email: `ada@${slug}.test`, password: "correct horse battery" };

test("the admin signs up, defines a custom status and adds a customer", async ({ browser }) => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await openHydrated(page, "/signup");
  await page.getByLabel("Company name").fill("Hill & Dale Gardening");
  await page.getByLabel("Workspace address").fill(slug);
  await page.getByLabel("Timezone").selectOption("Europe/Berlin");
  await page.getByLabel("Your name").fill("Ada Admin");
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.waitForURL(/\/app\/dashboard$/);
  await confirmEmailFromMail(page, admin.email);

  // Statuses: the defaults are there; add "Waiting for parts".
  await openHydrated(page, "/app/statuses");
  const list = page.getByTestId("status-list");
  await expect(list.locator("li")).toHaveCount(4);
  await page.getByLabel("Status name").fill("Waiting for parts");
  await page.getByLabel("Kind", { exact: true }).selectOption("IN_PROGRESS");
  await page.getByRole("button", { name: "Add status" }).click();
  await expect(list.locator("li")).toHaveCount(5);
  await expect(list.locator('li[data-status="Waiting for parts"]')).toBeVisible();
  // The only done status cannot be deleted.
  await list.locator('li[data-status="Done"]').getByRole("button", { name: "Delete" }).click();
  await expect(list.locator('li[data-status="Done"]').getByRole("alert")).toContainText("only done status");
  await screenshots(page, "20-statuses");

  // Customers: validation names the field; then a real customer.
  await openHydrated(page, "/app/customers");
  await screenshots(page, "21-customers-empty");
  await page.getByRole("button", { name: "New customer" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Miller Farm");
  await page.getByLabel("Email").fill("not an email");
  await page.getByRole("button", { name: "Add customer" }).click();
  await expect(page.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();
  await page.getByLabel("Email").fill("owner@millerfarm.test");
  await page.getByLabel("Phone").fill("+49 30 1234567");
  await page.getByLabel("Address").fill("12 Mill Lane, Potsdam");
  await page.getByRole("button", { name: "Add customer" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Miller Farm was added." })).toBeVisible();
  await expect(page.getByTestId("customer-list")).toContainText("Miller Farm");
  await screenshots(page, "22-customers");

  await page.getByRole("link", { name: /Miller Farm/ }).click();
  await expect(page).toHaveURL(/\/app\/customers\/[0-9a-f-]{36}$/);
  await waitHydrated(page);
  await expect(page.getByRole("heading", { name: "Miller Farm" })).toBeVisible();
  await expect(page.getByText("12 Mill Lane, Potsdam")).toBeVisible();
  await screenshots(page, "23-customer-detail");

  // A customer login linked to that record.
  await openHydrated(page, "/app/users");
  await page.getByRole("button", { name: "Add person" }).click();
  const form = page.locator("form.form-grid");
  await form.getByLabel("Name").fill("Mia Miller");
  await form.getByLabel("Email").fill(`mia@${slug}.test`);
  await form.getByLabel("Role").selectOption("CUSTOMER");
  await form.getByLabel("Customer record").selectOption({ label: "Miller Farm" });
  await form.getByLabel("Initial password").fill("sunny porch swing 3");
  await form.getByRole("button", { name: "Add person" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Mia Miller can now sign in" })).toBeVisible();
  await expect(page.getByLabel("Customer record of Mia Miller")).toHaveValue(/[0-9a-f-]{36}/);
  await context.close();
});
