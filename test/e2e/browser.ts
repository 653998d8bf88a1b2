/**
 * Test support for browser tests: Debian's Chromium (installed by `apt-get install chromium`,
 * .ci/run does it; never a browser downloaded by a tool), headless, with the flags this machine
 * needs (its network is closed: background networking, component updates and sync are off).
 */
import { existsSync } from 'node:fs';

export function chromiumPath(): string {
  const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(p)) throw new Error(`Chromium not found at ${p}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return p;
}

export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];
