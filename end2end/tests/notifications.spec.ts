import { test, expect, type Browser } from "@playwright/test";
import { DESKTOP, PHONE, logIn, openHydrated, screenshots, waitHydrated, waitReady } from "./helpers";
import { mailHeader, mailLinks, waitForMail } from "../mail";

// Issue 5 in the demo company (Northwind): an invitation accepted from its email, a
// forgotten password reset from its email, and a submission that reaches the
// customer's open browser live, through a second server process, and their inbox.
test.describe.configure({ mode: "serial" });

const SECOND_BASE_URL = process.env.SECOND_BASE_URL ?? "http://127.0.0.1:3101";
const stamp = Date.now().toString(36);
const invitee = { name: "Nina Newcomer", email: `nina-${stamp}@northwind.example`, password: "first day on the job 1" };
const newPassword = "a fresh start in spring 2";

async function newPage(browser: Browser, viewport = DESKTOP, baseURL?: string) {
  const context = await browser.newContext({ viewport, baseURL: baseURL ?? process.env.BASE_URL ?? "http://127.0.0.1:3100" });
  return { context, page: await context.newPage() };
}

test("the admin invites a field worker, who accepts from the email and logs in", async ({ browser }) => {
  const { context, page } = await newPage(browser);
  await logIn(page, "northwind", "alice@northwind.example");
  await openHydrated(page, "/app/users");
  const section = page.getByTestId("invitations");
  // An address already in the company is refused, naming the field.
  await section.getByLabel("Email").fill("walter@northwind.example");
  await section.getByRole("button", { name: "Send invitation" }).click();
  await expect(section.getByText("Someone in your company already uses this email.")).toBeVisible();
  await section.getByLabel("Email").fill(invitee.email);
  await section.getByLabel("Role").selectOption("WORKER");
  const sentAt = new Date();
  await section.getByRole("button", { name: "Send invitation" }).click();
  await expect(section.getByRole("status").filter({ hasText: `Invitation sent to ${invitee.email}` })).toBeVisible();
  await expect(section.getByTestId("invitation").filter({ hasText: invitee.email })).toContainText("Valid until");
  await screenshots(page, "50-team-invitations");
  await context.close();

  const mail = await waitForMail(invitee.email, { subject: /invited you to Northwind Plumbing/, after: sentAt });
  expect(mail.text).toContain("as a field worker");
  const [link] = mailLinks(mail, "/invitation");
  expect(mail.html).toContain("Accept the invitation");

  const phone = await newPage(browser, PHONE);
  await openHydrated(phone.page, link);
  await expect(phone.page.getByRole("heading", { name: "Join Northwind Plumbing & Heating" })).toBeVisible();
  await screenshots(phone.page, "51-accept-invitation");
  await phone.page.getByRole("button", { name: "Join" }).click();
  await expect(phone.page.getByText("Enter a name.")).toBeVisible();
  await phone.page.getByLabel("Your name").fill(invitee.name);
  await phone.page.getByLabel("Password").fill(invitee.password);
  await phone.page.getByRole("button", { name: "Join" }).click();
  // The login page knows the workspace and the address.
  await expect(phone.page).toHaveURL(/\/northwind\/login\?email=/);
  await waitHydrated(phone.page);
  await expect(phone.page.getByLabel("Email")).toHaveValue(invitee.email);
  await phone.page.getByLabel("Password", { exact: true }).fill(invitee.password);
  await phone.page.getByRole("button", { name: "Log in" }).click();
  await expect(phone.page).toHaveURL(/\/app\/my-jobs/);
  await waitHydrated(phone.page);
  await expect(phone.page.getByTestId("user-name")).toHaveText(invitee.name);

  // The link was single-use.
  await openHydrated(phone.page, link);
  await expect(phone.page.getByTestId("invitation-error")).toContainText("already accepted");
  await phone.context.close();
});

test("a forgotten password is reset from the email, and every old session ends", async ({ browser }) => {
  // A session on one device…
  const old = await newPage(browser, PHONE);
  await logIn(old.page, "northwind", invitee.email, invitee.password);
  await waitHydrated(old.page);

  // …and the forgotten password on another.
  const { context, page } = await newPage(browser);
  await openHydrated(page, "/northwind/login");
  await page.getByTestId("forgot-password").click();
  await expect(page).toHaveURL(/\/forgot-password\?workspace=northwind/);
  await waitHydrated(page);
  await page.getByLabel("Email").fill(invitee.email);
  const askedAt = new Date();
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByTestId("reset-sent")).toContainText("a reset link is on its way");
  await screenshots(page, "52-forgot-password");
  // An unknown address gets the very same answer.
  await openHydrated(page, "/forgot-password?workspace=northwind");
  await page.getByLabel("Email").fill(`nobody-${stamp}@northwind.example`);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByTestId("reset-sent")).toContainText("a reset link is on its way");

  const mail = await waitForMail(invitee.email, { subject: /Reset your Fieldbook password/, after: askedAt });
  const [link] = mailLinks(mail, "/reset-password");
  await openHydrated(page, link);
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await page.getByLabel("New password").fill(newPassword);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByTestId("password-reset")).toBeVisible();
  await screenshots(page, "53-password-reset");
  const confirmation = await waitForMail(invitee.email, { subject: /password was changed/, after: askedAt });
  expect(confirmation.text).toContain("every device was signed out");

  // The old session is gone: the app sends that device to log in.
  await old.page.goto("/app/my-jobs");
  await expect(old.page).toHaveURL(/\/login\?next=/);
  await old.context.close();

  // The used link cannot be used again; the new password works.
  await openHydrated(page, link);
  await page.getByLabel("New password").fill("yet another passphrase");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("alert")).toContainText("already used");
  await logIn(page, "northwind", invitee.email, newPassword);
  await context.close();
});

test("a submission reaches the customer's open browser live on a second server, and their inbox", async ({ browser }) => {
  // The customer (Greenfield's Gregor) watches the app on the second server process.
  const customer = await newPage(browser, PHONE, SECOND_BASE_URL);
  await logIn(customer.page, "northwind", "gregor@greenfield.example");
  await waitHydrated(customer.page);
  const bell = customer.page.getByTestId("notification-bell");
  await expect(bell).toHaveAttribute("data-live", "connected");
  // The bell re-reads its count when the stream opens; let that settle.
  await customer.page.waitForTimeout(1000);
  const unreadCount = customer.page.getByTestId("unread-count");
  const unreadBefore = (await unreadCount.count()) ? Number(await unreadCount.textContent()) : 0;

  // Wanda, on the first server, records and submits time on Greenfield's job.
  const worker = await newPage(browser);
  await logIn(worker.page, "northwind", "wanda@northwind.example");
  await openHydrated(worker.page, "/app/time");
  await waitReady(worker.page);
  const description = `Bled the radiators ${stamp}`;
  const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  await worker.page.getByRole("button", { name: "Add entry" }).click();
  const form = worker.page.getByTestId("manual-entry");
  await form.getByLabel("Job").selectOption({ label: "Radiators cold in classroom 3 · Greenfield Primary School" });
  await form.getByLabel("Date").fill(day);
  await form.getByLabel("Start").fill("05:10");
  await form.getByLabel("End").fill("05:55");
  await form.getByLabel("What did you do?").fill(description);
  await form.getByRole("button", { name: "Save as draft" }).click();
  const draft = worker.page.getByTestId("group-drafts").getByTestId("log-item").filter({ hasText: description });
  await expect(draft).toContainText("0:45");
  const submittedAt = new Date();
  await draft.getByRole("button", { name: "Submit" }).click();
  await expect(worker.page.getByTestId("group-pending")).toContainText(description);

  // Without a reload, the customer's page shows it: a toast and the bell's count.
  const toast = customer.page.getByTestId("notification-toast");
  await expect(toast).toContainText("Wanda Keller submitted 1 entry for approval");
  await expect(customer.page.getByTestId("unread-count")).toHaveText(String(unreadBefore + 1));
  await screenshots(customer.page, "54-live-notification");
  // The notification centre lists it first and opens its subject.
  await bell.click();
  await expect(customer.page).toHaveURL(/\/app\/notifications$/);
  await waitReady(customer.page);
  const first = customer.page.getByTestId("notification").first();
  await expect(first).toContainText("Wanda Keller submitted 1 entry");
  await expect(first).toHaveClass(/unread/);
  await screenshots(customer.page, "55-notifications");
  await first.getByRole("link").click();
  await expect(customer.page).toHaveURL(/\/app\/approvals$/);
  await expect(customer.page.getByTestId("pending-item").filter({ hasText: description })).toBeVisible();
  // Opening it marked it read.
  if (unreadBefore === 0) await expect(unreadCount).toHaveCount(0);
  else await expect(unreadCount).toHaveText(String(unreadBefore));

  // And the email is in Gregor's inbox, with a way to turn such emails off.
  const mail = await waitForMail("gregor@greenfield.example", { subject: /Wanda Keller submitted 0:45/, after: submittedAt });
  expect(mail.text).toContain(description.slice(0, 10));
  expect(mail.text).toContain("Northwind Plumbing & Heating on Fieldbook");
  expect(mailLinks(mail, "/app/approvals").length).toBeGreaterThan(0);
  expect(await mailHeader(mail, "List-Unsubscribe")).toMatch(/\/unsubscribe\?token=/);
  await worker.context.close();
  await customer.context.close();
});

test("the admin sees outgoing mail and sets email preferences; pages on phone and desktop", async ({ browser }) => {
  const { context, page } = await newPage(browser);
  await logIn(page, "northwind", "alice@northwind.example");
  await openHydrated(page, "/app/outbox");
  await waitReady(page);
  await expect(page.getByTestId("outbox-counts")).toContainText("sent");
  await expect(page.getByTestId("outbox-list")).toContainText(invitee.email);
  await screenshots(page, "56-outbox");
  await openHydrated(page, "/app/account");
  const settings = page.getByTestId("email-settings");
  await expect(settings.getByLabel("Time submitted for approval")).toBeChecked();
  await screenshots(page, "57-account-email-settings");
  await openHydrated(page, "/app/notifications");
  await waitReady(page);
  await page.getByTestId("mark-all-read").click();
  await expect(page.getByTestId("unread-count")).toHaveCount(0);
  await screenshots(page, "58-notifications-admin");
  await context.close();
});
