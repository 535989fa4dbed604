// Browser tests of the portal against a running `ledger serve --demo`.
//   LEDGER_URL=http://127.0.0.1:8080 LEDGER_DEMO_PASSWORD=... npx playwright test -c tests/playwright.config.mjs
// scripts/run-e2e.sh BUILD_DIR starts a fresh server and sets both. Uses Debian's chromium; never downloads a browser.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from '@playwright/test'

const here = path.dirname(fileURLToPath(import.meta.url))
const baseURL = process.env.LEDGER_URL
if (!baseURL) {
  throw new Error('LEDGER_URL is not set: start `ledger serve --demo` and set LEDGER_URL, or use scripts/run-e2e.sh BUILD_DIR')
}
if (!process.env.LEDGER_DEMO_PASSWORD) {
  throw new Error('LEDGER_DEMO_PASSWORD is not set: it must be the --demo-password the server was started with')
}

export const outputDir = process.env.LEDGER_E2E_OUTPUT || path.join(here, '..', 'test-results')

export default defineConfig({
  testDir: here,
  testMatch: /.*\.spec\.mjs$/,
  outputDir: path.join(outputDir, 'artifacts'),
  // One server, one data directory: scenarios run one after another, which also keeps the load to one core.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: path.join(outputDir, 'report'), open: 'never' }]],
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.LEDGER_CHROMIUM || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync']
    }
  }
})
