import { expect, test } from "@playwright/test";
import { logIn, openHydrated, screenshots, waitHydrated } from "./helpers";

test("an admin makes an API key, an integration uses it, the audit log names it, and revoking stops it", async ({
  page,
  baseURL,
}) => {
  await logIn(page, "northwind", "alice@northwind.example");
  await openHydrated(page, "/app/users");
  await page.getByRole("link", { name: "API & webhooks" }).click();
  await expect(page).toHaveURL(/\/app\/api$/);
  await waitHydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "API & webhooks" })).toBeVisible();

  // A key with jobs access only, made by keyboard.
  const name = `Website form ${Date.now()}`;
  await page.getByRole("button", { name: "New key" }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Jobs, tasks and notes").selectOption("write");
  await page.getByLabel("Customers").selectOption("read");
  await page.getByRole("button", { name: "Create key" }).focus();
  await page.keyboard.press("Enter");
  const secretBox = page.getByTestId("new-key-secret");
  await expect(secretBox).toContainText(`Key \u201c${name}\u201d is ready`);
  const secret = await page.getByTestId("new-key-value").inputValue();
  expect(secret).toMatch(/^fbk_[A-Za-z0-9_-]{65}$/);
  const row = page.getByTestId("key-row").filter({ hasText: name });
  await expect(row).toContainText("Jobs, tasks and notes: read and change");
  await expect(row).toContainText("never used");
  await expect(row).toContainText(secret.slice(0, 12));
  await screenshots(page, "api-key-created");

  // Shown once: after a reload only the prefix is left.
  await page.reload();
  await waitHydrated(page);
  await expect(page.getByTestId("new-key-secret")).toHaveCount(0);
  expect(await page.content()).not.toContain(secret.slice(12));

  // The integration lists customers and makes a job.
  const api = { Authorization: `Bearer ${secret}` };
  const customers = await page.request.get(`${baseURL}/api/v1/customers`, { headers: api });
  expect(customers.status()).toBe(200);
  expect(customers.headers()["ratelimit-limit"]).toBe("300");
  const customerId = (await customers.json()).customers[0].id;
  const statuses = await (await page.request.get(`${baseURL}/api/v1/job-statuses`, { headers: api })).json();
  const title = `API job ${Date.now()}`;
  const created = await page.request.post(`${baseURL}/api/v1/jobs`, {
    headers: { ...api, "Idempotency-Key": crypto.randomUUID() },
    data: { customer_id: customerId, title, description: "From the website form", scheduled_date: "",
            scheduled_time: "", worker_id: "", status_id: statuses[0].id, tasks: [] },
  });
  expect(created.status()).toBe(201);
  expect(created.headers()["etag"]).toBe('"1"');
  const refused = await page.request.post(`${baseURL}/api/v1/customers`, {
    headers: api,
    data: { name: "Not allowed", email: "", phone: "", address: "" },
  });
  expect(refused.status()).toBe(403);

  // The audit log says the key did it.
  await openHydrated(page, "/app/audit?action=job.created");
  const entry = page.getByTestId("audit-entry").filter({ hasText: title });
  await expect(entry).toContainText(`API key \u201c${name}\u201d`);

  // Revoked: the key opens nothing any more.
  await openHydrated(page, "/app/api");
  const keyRow = page.getByTestId("key-row").filter({ hasText: name });
  await expect(keyRow).toContainText("last used");
  await keyRow.getByRole("button", { name: "Revoke…" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByTestId("key-row").filter({ hasText: name })).toContainText("Revoked");
  const after = await page.request.get(`${baseURL}/api/v1/customers`, { headers: api });
  expect(after.status()).toBe(401);
  await screenshots(page, "api-key-revoked");
});

test("the interactive API reference loads from our own site", async ({ page, baseURL }) => {
  const outside: string[] = [];
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(baseURL!) && !url.startsWith("data:")) outside.push(url);
  });
  await page.goto("/api/docs");
  await expect(page.getByRole("heading", { name: /Fieldbook API/ })).toBeVisible();
  await expect(page.getByText("/api/v1/jobs/{id}").first()).toBeVisible();
  expect(outside).toEqual([]);
  await screenshots(page, "api-docs");
});
