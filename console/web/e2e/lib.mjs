// Shared by the browser tests written as one scenario each (plain-http.mjs,
// typing.mjs, layout.mjs): launch Debian's Chromium with playwright-core on
// a fresh profile, count checks, and report.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let failures = 0;

/** Prints one check's outcome; a failed one makes the script exit 1. */
export function check(cond, what) {
  if (cond) console.log(`ok   ${what}`);
  else {
    failures++;
    console.log(`FAIL ${what}`);
  }
}

/**
 * Runs body(page) in a fresh Chromium; extraArgs go to Chromium's command
 * line. Page errors fail the run. Exits the process with the outcome.
 */
export async function run(body, { extraArgs = [], viewport = { width: 1500, height: 1000 } } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'stepwise-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs,
    ],
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await body(page);
    check(errors.length === 0, `no page errors${errors.length ? ': ' + errors.join(' | ') : ''}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${e.stack ?? e}`);
    const at = join(tmpdir(), `stepwise-failure-${process.pid}.png`);
    await page.screenshot({ path: at }).then(() => console.log(`     screenshot: ${at}`), () => {});
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
  process.exit(failures ? 1 : 0);
}

/** Calls the API from the page, unsigned (for servers without credentials). */
export const api = (page, action, body) =>
  page.evaluate(async ([action, body]) => {
    const r = await fetch('/', {
      method: 'POST',
      headers: { 'X-Amz-Target': `AWSStepFunctions.${action}`, 'Content-Type': 'application/x-amz-json-1.0' },
      body: JSON.stringify(body),
    });
    return r.json();
  }, [action, body]);
