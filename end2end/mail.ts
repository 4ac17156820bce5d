// Reading the mail the servers sent, from the local mail sink (maildev 3.0.0) that
// `./fieldbook test` starts and names in MAIL_SINK_API.
//
// maildev 3's REST API is under /api (GET /email answers 404): GET /api/email lists every
// message in arrival order (oldest first), GET /api/email/:id/source is the raw message,
// DELETE /api/email/all empties the inbox, GET /api/healthz answers `true`. One element of
// GET /api/email, as observed (keys in this order; `cc`, `html`, `text`, `inReplyTo` and
// `priority` only when the message has them):
//   {
//     "id": "8kdgiokr",
//     "time": "2026-11-21T16:56:27.000Z",   // the Date header; the arrival time without one
//     "read": false,
//     "subject": "Your job J-1042 was assigned to you",
//     "source": "/…/.fieldbook/maildev/tmp/maildev/8kdgiokr.eml",
//     "size": 1125, "sizeHuman": "1.1 KB",
//     "from": [{ "address": "no-reply@fieldbook.localhost", "name": "Fieldbook" }],
//     "to": [{ "address": "Walter@Northwind.example", "name": "" }],
//     "headers": { "subject": "…", "message-id": "<…@fieldbook.localhost>",
//                  "x-fieldbook-idempotency-key": "…", "mime-version": "1.0" },
//     "attachments": [],   // each { filename, generatedFileName, contentType, contentDisposition, size }
//     "envelope": { "from": { "address": "…", "args": { "SIZE": "1125" } },
//                   "to": [{ "address": "Walter@Northwind.example" }] },
//     "calculatedBcc": [],
//     "html": "<p>Hi Walter,</p>…",
//     "text": "Hi Walter,\n\nOpen the job: http://127.0.0.1:3100/app/jobs/42\n…"
//   }
// `headers` holds only the headers mailparser leaves as plain strings, keys lower-case:
// no from, to, date or content-type, and no List-Unsubscribe(-Post) (parsed into an
// object, then dropped). Read those from the raw message: `mailHeader`.

export const MAIL_SINK_API = (process.env.MAIL_SINK_API ?? "http://127.0.0.1:54380").replace(/\/+$/, "");

export type Address = { address: string; name: string };

export type Mail = {
  id: string;
  subject: string;
  /** The plain-text part ("" when the message has none). */
  text: string;
  /** The HTML part ("" when the message has none). */
  html: string;
  /** maildev's string-valued headers, names in lower case (see above for what is missing). */
  headers: Record<string, string | string[]>;
  /** The Date header (whole seconds), or when the sink received it if there is none. */
  date: Date;
  /** The To addresses, as written in the message. */
  to: string[];
  /** The Cc addresses, as written in the message. */
  cc: string[];
  /** Every address the message was delivered to (SMTP RCPT TO, so Bcc as well). */
  envelopeTo: string[];
  from: Address[];
  attachments: { filename: string; generatedFileName: string; contentType: string; size: number }[];
};

type MaildevEmail = {
  id: string;
  time: string;
  subject?: string;
  text?: string;
  html?: string;
  headers?: Record<string, string | string[]>;
  from?: Address[];
  to?: Address[];
  cc?: Address[];
  envelope?: { to?: { address: string }[] };
  attachments?: Mail["attachments"];
};

async function api(path: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(`${MAIL_SINK_API}${path}`, init);
  if (!response.ok) throw new Error(`mail sink ${init?.method ?? "GET"} ${path}: HTTP ${response.status}`);
  return response;
}

function toMail(email: MaildevEmail): Mail {
  return {
    id: email.id,
    subject: email.subject ?? "",
    text: email.text ?? "",
    html: email.html ?? "",
    headers: email.headers ?? {},
    date: new Date(email.time),
    to: (email.to ?? []).map((a) => a.address),
    cc: (email.cc ?? []).map((a) => a.address),
    envelopeTo: (email.envelope?.to ?? []).map((a) => a.address),
    from: email.from ?? [],
    attachments: email.attachments ?? [],
  };
}

/** Every message in the sink, newest (last received) first. */
export async function allMail(): Promise<Mail[]> {
  const emails = (await (await api("/api/email")).json()) as MaildevEmail[];
  return emails.map(toMail).reverse();
}

function isAddressedTo(mail: Mail, to: string): boolean {
  const wanted = to.trim().toLowerCase();
  return [...mail.to, ...mail.cc, ...mail.envelopeTo].some((a) => a.toLowerCase() === wanted);
}

/** The messages addressed to `to` (To, Cc or envelope; case-insensitive), newest first. */
export async function allMailTo(to: string): Promise<Mail[]> {
  return (await allMail()).filter((mail) => isAddressedTo(mail, to));
}

function subjectMatches(subject: string, wanted: RegExp | string | undefined): boolean {
  if (wanted === undefined) return true;
  return typeof wanted === "string" ? subject.includes(wanted) : wanted.test(subject);
}

/**
 * Waits for the newest message to `to` (case-insensitive) whose subject matches (a string:
 * contained in it; a RegExp: tested) and that is dated at or after `after`. The servers
 * send from their outbox, a moment after the action that queued the message.
 *
 * `after` is compared with whole seconds, since the Date header has no more.
 */
export async function waitForMail(
  to: string,
  opts: { subject?: RegExp | string; timeoutMs?: number; after?: Date } = {},
): Promise<Mail> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const notBefore = opts.after ? Math.floor(opts.after.getTime() / 1000) * 1000 : -Infinity;
  const deadline = Date.now() + timeoutMs;
  let seen: Mail[] = [];
  for (;;) {
    seen = await allMailTo(to);
    const found = seen.find((mail) => subjectMatches(mail.subject, opts.subject) && mail.date.getTime() >= notBefore);
    if (found) return found;
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const got = seen.map((mail) => `  ${mail.date.toISOString()}  ${JSON.stringify(mail.subject)}`).join("\n") || "  (none)";
  throw new Error(
    `no mail to ${to}` +
      (opts.subject !== undefined ? ` with subject ${String(opts.subject)}` : "") +
      (opts.after ? ` dated from ${opts.after.toISOString()}` : "") +
      ` within ${timeoutMs} ms (sink ${MAIL_SINK_API}). Messages to that address:\n${got}`,
  );
}

function decodeEntities(value: string): string {
  return value
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}

/**
 * The http(s) links in the message: those in the text part first, then the HTML part's
 * hrefs, each once. With `pathPrefix` (e.g. "/verify-email"), only links whose path
 * starts with it.
 */
export function mailLinks(mail: Mail, pathPrefix?: string): string[] {
  const links: string[] = [];
  for (const match of mail.text.matchAll(/https?:\/\/[^\s<>"'`]+/g)) {
    // A sentence's punctuation after a bare link is not part of it.
    links.push(match[0].replace(/[.,;:!?)\]}]+$/, ""));
  }
  for (const match of mail.html.matchAll(/\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    const href = decodeEntities((match[1] ?? match[2] ?? "").trim());
    if (/^https?:\/\//i.test(href)) links.push(href);
  }
  const unique = [...new Set(links)];
  if (pathPrefix === undefined) return unique;
  return unique.filter((link) => {
    try {
      return new URL(link).pathname.startsWith(pathPrefix);
    } catch {
      return false;
    }
  });
}

/** The raw message (RFC 5322 source) as the sink received it. */
export async function mailSource(mail: Mail | string): Promise<string> {
  const id = typeof mail === "string" ? mail : mail.id;
  return (await api(`/api/email/${encodeURIComponent(id)}/source`)).text();
}

/**
 * A header of the raw message (first occurrence, unfolded; name case-insensitive), for
 * those maildev's `headers` leaves out, e.g. List-Unsubscribe.
 */
export async function mailHeader(mail: Mail | string, name: string): Promise<string | undefined> {
  const source = await mailSource(mail);
  const end = source.search(/\r?\n\r?\n/);
  const head = (end === -1 ? source : source.slice(0, end)).replace(/\r?\n[ \t]+/g, " ");
  const wanted = name.toLowerCase();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted) return line.slice(colon + 1).trim();
  }
  return undefined;
}

/** Empties the sink's inbox (every message, whoever it was to). */
export async function deleteAllMail(): Promise<void> {
  await api("/api/email/all", { method: "DELETE" });
}
