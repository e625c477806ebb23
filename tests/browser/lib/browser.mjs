// Launches Debian's Chromium through playwright-core (no bundled browser
// download) and records what a page does wrong: uncaught errors, console
// errors and every /api response body (for the secret checks).
import { existsSync } from 'node:fs';

import { chromium } from 'playwright-core';

/** CHROMIUM is the browser the tests drive; override with CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** launch starts headless Chromium with the flags this sandbox-less machine needs. */
export function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (scripts/setup.sh does it), or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/**
 * openPage opens a page and starts recording. Returns {page, record} where
 * record.pageErrors, record.consoleErrors, record.apiRequests, record.apiBodies
 * and record.moduleStatus (the plugin's module.js) fill up as the page runs.
 */
export async function openPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, colorScheme: 'dark' });
  const page = await context.newPage();
  const record = { pageErrors: [], consoleErrors: [], apiBodies: [], apiRequests: [], failedResponses: [] };
  page.on('pageerror', (err) => record.pageErrors.push(err.stack ?? String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      record.consoleErrors.push(msg.text());
    }
  });
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith('/api/')) {
      record.apiRequests.push({ method: req.method(), path: url.pathname, search: url.search, body: req.postData() ?? '' });
    }
  });
  page.on('response', async (res) => {
    const url = new URL(res.url());
    if (res.status() >= 400) {
      record.failedResponses.push(`${res.status()} ${url.pathname}`);
    }
    if (/^\/public\/plugins\/[^/]+\/module\.js$/.test(url.pathname)) {
      record.moduleStatus = res.status();
    }
    if (!url.pathname.startsWith('/api/')) {
      return;
    }
    try {
      record.apiBodies.push({ path: url.pathname, status: res.status(), body: await res.text() });
    } catch {
      // the page navigated away before the body was read
    }
  });
  return { context, page, record };
}
