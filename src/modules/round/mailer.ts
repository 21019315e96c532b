import { createTransport } from "nodemailer";
import type { MailSettings } from "../../config.ts";

/**
 * Email out of Baseplan: one message handed to the council's SMTP server through nodemailer. A
 * refusal or an unreachable server is an outcome to record, not an error to throw, so a page that
 * sends (returning an item, "remind all outstanding") never fails because email did.
 */

export interface OutgoingEmail {
  to: string;
  /** Shown as the sender's name beside the configured From address: the council's own name. */
  fromName: string;
  subject: string;
  text: string;
  html: string;
}

export type SendOutcome = { ok: true; detail: string } | { ok: false; detail: string };

export interface Mailer {
  /** This site's address, for links in emails. */
  baseUrl: string;
  send(email: OutgoingEmail): Promise<SendOutcome>;
}

/** Connecting and each SMTP step give up after this long, so a dead server cannot hang a page. */
const TIMEOUT_MS = 15_000;

export function smtpMailer(settings: MailSettings): Mailer {
  const transport = createTransport({
    url: settings.smtpUrl,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  return {
    baseUrl: settings.baseUrl,
    async send(email) {
      try {
        const info = await transport.sendMail({
          from: { name: email.fromName, address: settings.from },
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
        });
        return { ok: true, detail: String(info.response ?? "accepted") };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
