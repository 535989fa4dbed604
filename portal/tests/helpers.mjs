// Shared steps for the portal scenarios. They use only what a person sees: labels, headings, buttons, links.
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { expect } from '@playwright/test'
import { outputDir } from './playwright.config.mjs'

const require = createRequire(import.meta.url)
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export const password = process.env.LEDGER_DEMO_PASSWORD

// The demo accounts `ledger serve --demo` creates.
export const accounts = {
  practiceUser: 'practice.user', // multi-level practice: claims go to practice.approver first
  practiceApprover: 'practice.approver',
  practice2User: 'practice2.user', // single-level practice: claims go straight to the commissioner
  tier1: 'tier1',
  tier2: 'tier2',
  finance: 'finance',
  auditor: 'auditor',
  icbAdmin: 'icb.admin',
  admin: 'admin'
}

export async function signIn (page, username) {
  await page.goto('/sign-in')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByTestId('signed-in-user')).toBeVisible()
}

export async function signOut (page) {
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to the claims ledger' })).toBeVisible()
}

// Saves a full-page screenshot as test-results/screenshots/<name>.png for reviewers.
export async function screenshot (page, name) {
  const dir = path.join(outputDir, 'screenshots')
  fs.mkdirSync(dir, { recursive: true })
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true })
}

// Runs axe-core on the current page; fails on any serious or critical violation and names each one.
export async function expectAccessible (page, label) {
  await page.evaluate(axeSource)
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }
  }))
  const bad = result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)
  expect(bad, `accessibility violations on ${label || page.url()}`).toEqual([])
}

// "£18,450.00" -> 1845000 (pence)
export function pence (text) {
  const m = /£\s*([\d,]+)\.(\d{2})/.exec(text)
  if (!m) throw new Error(`not an amount: ${text}`)
  return Number(m[1].replace(/,/g, '')) * 100 + Number(m[2])
}

export function claimIdFromUrl (url) {
  const m = /\/claims\/([^/?#]+)/.exec(new URL(url).pathname)
  if (!m) throw new Error(`not a claim URL: ${url}`)
  return m[1]
}

// Deletes the practice's oldest draft claim, as its user would, which frees its (service, period): a draft holds
// its period, and the demo practices have only a few periods open at a time. False when there is no draft.
export async function deleteOldestDraft (page) {
  await page.goto('/claims?status=draft')
  const links = page.locator('table a[href^="/claims/"]')
  const count = await links.count()
  if (count === 0) return false
  const href = await links.nth(count - 1).getAttribute('href')
  await page.goto(`${href}/edit`)
  await page.getByRole('button', { name: 'Delete draft claim' }).click()
  await expect(page.getByTestId('flash')).toContainText('Draft claim deleted')
  return true
}

// Opens the new claim form with at least one (service, period) to choose, deleting earlier scenarios' drafts
// while none is left.
export async function openNewClaim (page) {
  for (;;) {
    await page.goto('/claims/new')
    if (await page.locator('input[name="service"]').count() > 0) return
    if (!await deleteOldestDraft(page)) break
  }
  throw new Error('the demo data must offer this practice at least one service with an open claim window')
}

// Starts a claim on the first (service, period) pair the practice can still claim for. The server lists only
// services with an open window and periods no claim holds; a pair taken meanwhile answers with an error summary, so
// the next pair is tried. Returns the new claim's id (the page is left on /claims/{id}/edit).
export async function startClaim (page) {
  await openNewClaim(page)
  const services = await page.locator('input[name="service"]').evaluateAll(els => els.map(e => e.value))
  for (const service of services) {
    await page.goto('/claims/new')
    const periods = await page.locator('select[name="period"] option').evaluateAll(els => els.map(e => e.value).filter(Boolean))
    for (const period of periods) {
      await page.goto('/claims/new')
      await page.locator(`input[name="service"][value="${service}"]`).check()
      await page.locator('select[name="period"]').selectOption(period)
      await page.getByRole('button', { name: 'Continue' }).click()
      if (/\/claims\/[^/]+\/edit$/.test(new URL(page.url()).pathname)) return claimIdFromUrl(page.url())
    }
  }
  throw new Error('no (service, period) pair left to claim for: the demo data needs more open claim windows')
}

// Fills every component with its highest allowed value (data-max) or `fallback`, answers every question,
// and adds a small PDF as evidence. Leaves the page on the edit page.
export async function fillClaim (page, fallback = '100') {
  const inputs = page.locator('input[name^="component."]')
  for (let i = 0; i < await inputs.count(); i++) {
    const input = inputs.nth(i)
    await input.fill((await input.getAttribute('data-max')) || fallback)
  }
  const texts = page.locator('textarea[name^="question."]')
  for (let i = 0; i < await texts.count(); i++) await texts.nth(i).fill('Answered in the browser test')
  const numbers = page.locator('input[name^="question."][type="text"]')
  for (let i = 0; i < await numbers.count(); i++) await numbers.nth(i).fill('1')
  const radioNames = await page.locator('input[type="radio"][name^="question."]').evaluateAll(els => [...new Set(els.map(e => e.name))])
  for (const name of radioNames) await page.locator(`input[type="radio"][name="${name}"][value="yes"]`).check()
  await page.getByRole('button', { name: 'Save as draft' }).click()
  await addEvidence(page)
}

export async function addEvidence (page) {
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
  await page.getByLabel('Add an evidence file').setInputFiles({ name: 'evidence.pdf', mimeType: 'application/pdf', buffer: pdf })
  await page.getByRole('button', { name: 'Upload file' }).click()
  await expect(page.getByTestId('evidence-list')).toContainText('evidence.pdf')
}

// From the edit page: continue to the check page and submit. Leaves the page on the claim page.
export async function checkAndSubmit (page) {
  await page.getByRole('button', { name: 'Save and continue' }).click()
  await expect(page.getByRole('heading', { level: 1, name: /Check your claim/ })).toBeVisible()
  const amount = await page.getByTestId('amount').textContent()
  await page.getByRole('button', { name: 'Submit claim' }).click()
  await expect(page.getByTestId('claim-status')).toBeVisible()
  return amount
}

// Opens the claim's decision page and records a decision ('approve' | 'return' | 'reject').
export async function decide (page, claimId, decision, { reasonCode, reason } = {}) {
  await page.goto(`/claims/${claimId}/decision`)
  const labels = { approve: /^Approve/, return: /^Return/, reject: /^Reject/ }
  await page.getByRole('radio', { name: labels[decision] }).check()
  if (reasonCode) await page.getByLabel('Reason for rejecting').selectOption(reasonCode)
  if (reason) await page.getByLabel('Explain your decision to the practice').fill(reason)
  await page.getByRole('button', { name: 'Confirm decision' }).click()
  await expect(page.locator('.nhsuk-error-summary')).toHaveCount(0)
}

export async function expectStatus (page, claimId, status) {
  await page.goto(`/claims/${claimId}`)
  await expect(page.getByTestId('claim-status')).toHaveText(status)
}
