import { type Browser, chromium } from "playwright-core";

/**
 * Debian's Chromium, headless, for the PDF renderer and the browser tests. The machine's network
 * is closed: without the background-networking flags Chromium keeps trying to reach Google's
 * hosts at every start. Its path comes from configuration (BASEPLAN_CHROMIUM).
 */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
