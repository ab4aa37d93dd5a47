// Outgoing mail behind one narrow interface. The SMTP adapter is nodemailer; without an SMTP host
// (the local quick start) nothing is sent and sign-in links go to the log instead. Sending happens in
// the background so that an answer never depends on whether (or how fast) a mail went out: the sign-in
// request answers the same for known and unknown addresses. Failed sends are retried with back-off
// and then logged; shutdown waits for what is in flight.
import nodemailer from "nodemailer";
import type { Logger } from "@clawden/kit/server";
import type { Config } from "../config.js";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Queues `message`; never throws and never waits for the SMTP server. */
  send(message: MailMessage, logFields?: Record<string, unknown>): void;
  /** Whether mail actually leaves this server (false: links are only logged). */
  readonly delivers: boolean;
  /** Resolves once every mail queued so far is sent (or given up on). */
  idle(): Promise<void>;
  /** Waits until idle, then closes the SMTP connection (shutdown). */
  drain(): Promise<void>;
}

const RETRY_DELAYS_MS = [1_000, 5_000, 20_000];

interface Transport {
  sendMail(message: MailMessage & { from: string }): Promise<unknown>;
  close(): void;
}

export function createMailer(config: Config, logger: Logger): Mailer {
  const inFlight = new Set<Promise<void>>();
  const host = new URL(config.PUBLIC_URL).hostname;
  const from = config.MAIL_FROM ?? `Clawden <no-reply@${host.includes(".") ? host : "clawden.local"}>`;
  let transport: Transport | undefined;
  if (config.SMTP_HOST) {
    transport = nodemailer.createTransport({
      host: config.SMTP_HOST,
      port: config.SMTP_PORT,
      secure: config.SMTP_SECURE,
      requireTLS: config.SMTP_REQUIRE_TLS,
      auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? "" } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async function deliver(message: MailMessage, fields: Record<string, unknown>): Promise<void> {
    if (!transport) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await transport.sendMail({ ...message, from });
        logger.info({ ...fields, attempt: attempt + 1 }, "mail sent");
        return;
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt];
        const reason = error instanceof Error ? error.message : String(error);
        if (delay === undefined) {
          logger.error({ ...fields, reason, attempts: attempt + 1 }, "mail could not be sent; giving up");
          return;
        }
        logger.warn({ ...fields, reason, retryInMs: delay }, "mail could not be sent; will retry");
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  async function idle(): Promise<void> {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  }

  return {
    delivers: transport !== undefined,
    send(message, logFields = {}) {
      const task = deliver(message, logFields).finally(() => inFlight.delete(task));
      inFlight.add(task);
    },
    idle,
    async drain() {
      await idle();
      transport?.close();
    },
  };
}
