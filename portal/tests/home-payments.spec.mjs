// Payments, home pages and the message centre, as practice managers, approvers and finance officers meet them:
// pay dates a bank will show, what waits for each role, what changed since the last sign-in, and plain words
// at sign-in and for tariffs.
import { test, expect } from '@playwright/test'
import { accounts, signIn, signOut, startClaim, fillClaim, checkAndSubmit, decide, expectAccessible, screenshot } from './helpers.mjs'

const day = 86_400_000
const isoDay = offset => new Date(Date.now() + offset * day).toISOString().slice(0, 10)

// A claim of the single-level practice, submitted; returns its id.
async function submittedClaim (page) {
  await signIn(page, accounts.practice2User)
  const claimId = await startClaim(page)
  await fillClaim(page)
  await checkAndSubmit(page)
  await signOut(page)
  return claimId
}

// Takes a submitted claim through the commissioner's approvals to Approved for Payment.
async function approveForPayment (page, claimId) {
  for (const who of [accounts.tier1, accounts.tier2, accounts.finance]) {
    await signIn(page, who)
    await page.goto(`/claims/${claimId}`)
    const status = await page.getByTestId('claim-status').textContent()
    if (/^Awaiting/.test(status.trim())) await decide(page, claimId, 'approve')
    await signOut(page)
  }
  await signIn(page, accounts.tier2)
  await page.goto(`/claims/${claimId}`)
  await expect(page.getByTestId('claim-status')).toHaveText('Approved for Payment')
}

test('the statement shows the pay date the bank shows, and a total per payment run with its reference', async ({ page }) => {
  await signIn(page, accounts.practiceUser)
  await page.goto('/payments/statement')
  // The demo's runs are paid on the 28th; find the financial year that holds them.
  const years = await page.locator('select[name="year"] option').evaluateAll(els => els.map(e => e.value))
  for (const year of years) {
    await page.goto(`/payments/statement?year=${year}`)
    if (await page.getByTestId('payments').count()) break
  }
  const payments = page.getByTestId('payments')
  await expect(payments).toBeVisible()
  const rows = payments.locator('tbody tr')
  expect(await rows.count()).toBeGreaterThan(0)
  for (let i = 0; i < await rows.count(); i++) {
    const cells = rows.nth(i).locator('td')
    await expect(cells.nth(0)).toContainText(/^28 \w+ \d{4}/)
    await expect(cells.nth(1)).toContainText(/Ref REM-/)
    await expect(cells.nth(3)).toContainText(/^£[\d,]+\.\d{2}$/)
  }
  // Each paid claim was paid on its run's pay date (the demo marks runs paid on the 28th, never before).
  const paidOn = await page.getByTestId('statement').locator('tbody tr td:nth-child(5)').allTextContents()
  for (const text of paidOn.filter(t => t.trim())) expect(text.trim()).toMatch(/^28 \w+ \d{4}$/)
  await screenshot(page, 'payment-statement-payments')
  await expectAccessible(page, 'payment statement')
})

test('a pay date that has passed is refused, and a run is not marked paid before its pay date; homes count the runs', async ({ page }) => {
  test.setTimeout(240_000)
  const claimId = await submittedClaim(page)
  await approveForPayment(page, claimId)

  await page.goto('/payment-runs/new')
  const boxes = page.locator('input[name="claim_ids"]')
  for (let i = 0; i < await boxes.count(); i++) await boxes.nth(i).uncheck()
  await page.locator(`input[name="claim_ids"][value="${claimId}"]`).check()
  await page.getByLabel('Pay date').fill(isoDay(-1))
  await page.getByRole('button', { name: 'Create payment run' }).click()
  await expect(page.locator('.nhsuk-error-summary')).toContainText('has passed')
  await expect(page.locator('#pay_date-error')).toContainText('Enter today')

  await page.locator(`input[name="claim_ids"][value="${claimId}"]`).check()
  await page.getByLabel('Pay date').fill(isoDay(2))
  await page.getByRole('button', { name: 'Create payment run' }).click()
  await expect(page.getByTestId('run-claims').locator(`a[href="/claims/${claimId}"]`)).toHaveCount(1)
  const runUrl = page.url()
  await signOut(page)

  // Finance's home counts the run waiting to be confirmed; Finance confirms it.
  await signIn(page, accounts.finance)
  await expect(page.getByTestId('actions')).toContainText(/\d+ payment runs? waiting to be confirmed/)
  await page.goto(runUrl)
  await page.getByRole('button', { name: 'Confirm payment run' }).click()
  // Not yet paid: the page says from when, and offers no button.
  await page.goto(runUrl)
  await expect(page.getByTestId('paid-from')).toContainText('Record the payment on that day or after')
  await expect(page.getByRole('button', { name: 'Mark as paid' })).toHaveCount(0)
  await expectAccessible(page, 'confirmed payment run before its pay date')
  await signOut(page)

  // Tier 2's home counts it as confirmed and waiting to be marked paid.
  await signIn(page, accounts.tier2)
  await expect(page.getByTestId('actions')).toContainText(/\d+ payment runs? confirmed and waiting to be marked paid/)
  await screenshot(page, 'home-tier2-runs')
  await expectAccessible(page, 'home of Tier 2')
})

test('a practice sees on its home page what changed on its claims since it last signed in', async ({ page }) => {
  test.setTimeout(180_000)
  const claimId = await submittedClaim(page) // the practice user signed in (and out) before the return
  await signIn(page, accounts.tier1)
  await decide(page, claimId, 'return', { reason: 'Evidence missing' })
  await signOut(page)

  await signIn(page, accounts.practice2User)
  await page.goto('/')
  await expect(page.getByTestId('messages-since')).toContainText('Since you last signed in')
  const message = page.getByTestId('messages').locator(`a[href="/claims/${claimId}"]`)
  await expect(message.first()).toContainText(/^Claim C-[0-9A-F-]+ was returned by Tier 1 on \d+ \w+ \d{4}: .Evidence missing.$/)
  await screenshot(page, 'home-messages')
  await expectAccessible(page, 'home with messages')
  await message.first().click()
  await expect(page).toHaveURL(new RegExp(`/claims/${claimId}$`))
})

test('tariffs are shown in words: pounds per unit and achievement percentages, never codes', async ({ page }) => {
  await signIn(page, accounts.icbAdmin)
  await page.goto('/reports/services')
  const table = page.locator('table').first()
  await expect(table).toContainText(/£[\d,]+\.\d{2} each|£[\d,]+\.\d{2} at \d+(\.\d+)?% or more|per 1,000 registered patients/)
  await expect(page.locator('main')).not.toContainText(/\w+=\d+p|bp=/)
})
