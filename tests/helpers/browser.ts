/**
 * Real headless Chromium for page tests, through playwright-core and Debian's /usr/bin/chromium
 * (never a downloaded browser). When Chromium is missing the suite is skipped with a printed reason,
 * unless JIT_REQUIRE_BROWSER=1 (CI), which turns the absence into a failure.
 *
 *   const browser = browserAvailability();
 *   const maybe = browser.available ? describe : describe.skip;
 *   maybe('login page', () => { ... const b = await launchBrowser(); ... });
 */
import * as fs from 'fs';
import type { Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.JIT_CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserAvailability {
  available: boolean;
  reason?: string;
}

/** Whether page tests can run here; logs why not, and throws when the browser is required. */
export function browserAvailability(): BrowserAvailability {
  if (fs.existsSync(CHROMIUM_PATH)) return { available: true };
  const reason = `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set JIT_CHROMIUM_PATH)`;
  if (process.env.JIT_REQUIRE_BROWSER === '1') throw new Error(`JIT_REQUIRE_BROWSER=1 but ${reason}`);
  // eslint-disable-next-line no-console
  console.log(`skipping browser tests: ${reason}`);
  return { available: false, reason };
}

/**
 * Launches headless Chromium. Playwright gives it a fresh temporary profile (user-data-dir) and
 * removes it on close; each test opens its own context, so cookies never leak between tests.
 */
export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
    ],
  });
}
