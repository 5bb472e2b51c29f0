// Launches Debian's Chromium for the e2e run: headless, sandbox off (root in CI), nothing fetched
// from outside. playwright-core's launch() gives the browser a fresh temporary user-data-dir and
// removes it on close; each newContext() is a separate person (own cookies and storage).
import { chromium } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}
