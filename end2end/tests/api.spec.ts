import { expect, test } from "@playwright/test";
import * as crypto from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { logIn, openHydrated, screenshots, waitHydrated } from "./helpers";

/** Fails when the page, at 360 px, is wider than the screen (long secrets and addresses wrap or scroll inside their box). */
async function expectFitsPhone(page: import("@playwright/test").Page) {
  const original = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 740 });
  await page.waitForTimeout(200);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, "document width at 360 px").toBeLessThanOrEqual(360);
  if (original) await page.setViewportSize(original);
}

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
  await expectFitsPhone(page);

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

test("an admin registers a webhook, a job made in the app reaches the receiver, and it can be redelivered", async ({ page }) => {
  // A local receiver that records what it gets.
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("ok from the test receiver");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/hook/${Date.now()}`;
  try {
    await logIn(page, "northwind", "alice@northwind.example");
    await openHydrated(page, "/app/api");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await page.getByLabel("Endpoint address").fill(url);
    await page.getByLabel("Description (optional)").fill("Dispatch board");
    await page.getByLabel(/A job was created/).check();
    await page.getByRole("button", { name: "Add endpoint" }).last().click();
    const secretBox = page.getByTestId("webhook-secret");
    await expect(secretBox).toBeVisible();
    const secret = await page.getByTestId("webhook-secret-value").inputValue();
    expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    await screenshots(page, "webhook-created");
    await expectFitsPhone(page);

    // A job made in the app is delivered, signed with the secret.
    const title = `Webhook job ${Date.now()}`;
    await openHydrated(page, "/app/jobs/new");
    await expect(page.locator("form.job-form")).toHaveAttribute("data-ready", "true");
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Customer").selectOption({ index: 1 });
    await page.getByRole("button", { name: "Create job" }).click();
    await expect(page).toHaveURL(/\/app\/jobs\/[0-9a-f-]{36}$/);
    await expect.poll(() => received.filter((r) => r.body.includes(title)).length, { timeout: 15_000 }).toBe(1);
    const delivered = received.find((r) => r.body.includes(title))!;
    const expected = crypto
      .createHmac("sha256", secret)
      .update(`${delivered.headers["fieldbook-timestamp"]}.${delivered.body}`)
      .digest("hex");
    expect(String(delivered.headers["fieldbook-signature"])).toContain(`v1=${expected}`);

    // The log shows it with its 2xx; redelivering sends it again.
    await openHydrated(page, "/app/api");
    const row = page.getByTestId("webhook-row").filter({ hasText: url });
    const delivery = row.getByTestId("delivery-row").filter({ hasText: "job.created" }).first();
    await expect(delivery).toContainText("200 delivered");
    await delivery.getByRole("button", { name: "Redeliver" }).click();
    await expect.poll(() => received.filter((r) => r.body.includes(title)).length, { timeout: 15_000 }).toBe(2);
    await row.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByTestId("webhook-notice")).toContainText("Test event queued");
    await expect.poll(() => received.filter((r) => r.body.includes("webhook.test")).length, { timeout: 15_000 }).toBe(1);
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(row.getByTestId("delivery-row").filter({ hasText: "webhook.test" })).toContainText("200 delivered");
    await screenshots(page, "webhook-deliveries");
    await expectFitsPhone(page);

    // Tidy: the endpoint goes, so other tests' jobs are not sent here.
    await row.getByRole("button", { name: "Delete…" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    await expect(page.getByTestId("webhook-row").filter({ hasText: url })).toHaveCount(0);
  } finally {
    server.close();
  }
});
