// A real SMTP receiver on loopback for tests (smtp-server + mailparser): management-server sends its
// mail here through nodemailer exactly as it would to a real relay, and tests read what arrived.
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** The SMTP envelope's recipients, as the server was told them. */
  envelopeTo: string[];
}

export interface Mailbox {
  host: string;
  port: number;
  /** Environment for management-server to send here. */
  env: Record<string, string>;
  received: ReceivedMail[];
  /** Waits for a mail to `to` (optionally matching) that arrived after `since` mails. */
  waitFor(
    to: string,
    options?: { match?: (mail: ReceivedMail) => boolean; timeoutMs?: number },
  ): Promise<ReceivedMail>;
  /** The sign-in link in a mail to `to` (the newest unread one). */
  waitForLink(to: string, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

const LINK_PATTERN = /https?:\/\/\S+\/login\/confirm#token=[A-Za-z0-9_%&=./-]+/;

export async function startMailbox(): Promise<Mailbox> {
  const received: ReceivedMail[] = [];
  const consumed = new Set<ReceivedMail>();
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          const to = Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : [];
          received.push({
            from: parsed.from?.text ?? "",
            to: to.flatMap((a) => a.value.map((v) => (v.address ?? "").toLowerCase())),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          });
          for (const wake of waiters) wake();
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;

  async function waitFor(
    to: string,
    options: { match?: (mail: ReceivedMail) => boolean; timeoutMs?: number } = {},
  ): Promise<ReceivedMail> {
    const want = to.toLowerCase();
    const find = () =>
      received.find(
        (mail) => !consumed.has(mail) && mail.envelopeTo.includes(want) && (options.match?.(mail) ?? true),
      );
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    for (;;) {
      const mail = find();
      if (mail) {
        consumed.add(mail);
        return mail;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no mail to ${to} arrived (${received.length} mails in the box)`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        waiters.add(wake);
      });
    }
  }

  return {
    host: "127.0.0.1",
    port,
    env: {
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(port),
      SMTP_SECURE: "false",
      MAIL_FROM: "Clawden <no-reply@clawden.test>",
    },
    received,
    waitFor,
    async waitForLink(to, timeoutMs) {
      const mail = await waitFor(to, { match: (m) => LINK_PATTERN.test(m.text), timeoutMs });
      return LINK_PATTERN.exec(mail.text)![0];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
