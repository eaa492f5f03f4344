import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where the browser tests leave their screenshots (gitignored; CI keeps them as artifacts). */
export const SCREENSHOTS = 'test-artifacts/web';

/**
 * Debian's Chromium, headless, with everything that would call Google switched off (this machine's
 * network is closed and Chromium retries those calls at every start).
 */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
