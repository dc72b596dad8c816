/**
 * Headless Chromium for the console's tests: Debian's `chromium` package (/usr/bin/chromium, or CHROMIUM_PATH),
 * driven by playwright-core — no browser is downloaded. `.ci/run` installs the package when it is missing, so a
 * missing browser fails the tests instead of skipping them.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`Chromium not found (tried ${candidates.join(', ')}): apt-get install -y --no-install-recommends chromium, or set CHROMIUM_PATH (.ci/run installs it)`);
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // no sandbox as root; no background networking: this machine's network is closed and Chromium would keep trying
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** The console's bundle, rebuilt when console/ changed since the last build (a no-op after npm ci). */
export async function ensureConsoleBuilt(): Promise<void> {
  const { buildConsole } = require('../../scripts/build-console') as { buildConsole: (options?: { quiet?: boolean }) => Promise<boolean> };
  if (!(await buildConsole({ quiet: true }))) throw new Error('the console did not build (node scripts/build-console.js)');
}
