import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server in the test's own process (the `smtp-server` package), on a free port of this
 * computer, keeping each message it receives, parsed (`mailparser`). `refuse` makes it refuse
 * recipients whose address matches, as a council's server refuses an unknown mailbox.
 */
export interface TestSmtpServer {
  url: string;
  received: ParsedMail[];
  /** Recipients this server refuses, with a 550 answer. */
  refuse: Set<string>;
  /** Waits until at least `count` messages have arrived. */
  waitFor(count: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ParsedMail[] = [];
  const refuse = new Set<string>();
  const pending: Promise<void>[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address)) {
        const error = Object.assign(new Error(`Mailbox ${address.address} is not known here`), {
          responseCode: 550,
        });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      const parsed = simpleParser(stream).then((mail) => {
        received.push(mail);
        callback();
      }, callback);
      pending.push(parsed);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse,
    async waitFor(count) {
      for (let tries = 0; received.length < count && tries < 200; tries += 1) {
        await Promise.all(pending);
        if (received.length < count) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
