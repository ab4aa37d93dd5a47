// The mails the platform sends, as plain text and simple HTML (no remote images, no tracking).
import type { MailMessage } from "./mailer.js";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function signInLinkMail(
  to: string,
  url: string,
  minutes: number,
  purpose: "login" | "reauth",
): MailMessage {
  const what = purpose === "login" ? "sign in to Clawden" : "confirm it is you (Clawden)";
  const subject = purpose === "login" ? "Your Clawden sign-in link" : "Confirm it is you on Clawden";
  const text = [
    `Open this link to ${what}:`,
    "",
    url,
    "",
    `It works once, for ${minutes} minutes, in the browser where you asked for it.`,
    "If you did not ask for it, ignore this email: nothing happens without the link.",
  ].join("\n");
  const html = `<p>Open this link to ${escapeHtml(what)}:</p><p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p><p>It works once, for ${minutes} minutes, in the browser where you asked for it.</p><p>If you did not ask for it, ignore this email: nothing happens without the link.</p>`;
  return { to, subject, text, html };
}

export function signUpRefusedMail(to: string, publicUrl: string): MailMessage {
  const text = [
    `Someone (probably you) asked to sign in to Clawden at ${publicUrl} with this address.`,
    "This address is not allowed to create an account there. Ask the administrator to add it.",
    "If it was not you, ignore this email.",
  ].join("\n");
  return {
    to,
    subject: "Clawden: this address cannot sign up",
    text,
    html: text
      .split("\n")
      .map((line) => `<p>${escapeHtml(line)}</p>`)
      .join(""),
  };
}
