// A rejection with a coded reason and text is visible to the practice, on the claim and in its history.
import { test, expect } from '@playwright/test'
import { accounts, signIn, signOut, startClaim, fillClaim, checkAndSubmit, screenshot } from './helpers.mjs'

test('a claim rejected at Tier 1 shows the practice the reason', async ({ page }) => {
  test.setTimeout(150_000)
  // practice2 is a single-level practice: its submitted claims go straight to Tier 1.
  await signIn(page, accounts.practice2User)
  const claimId = await startClaim(page)
  await fillClaim(page, '10')
  await checkAndSubmit(page)
  await expect(page.getByTestId('claim-status')).toHaveText('Awaiting Commissioning Organisation Approval')
  await signOut(page)

  await signIn(page, accounts.tier1)
  await page.goto(`/claims/${claimId}/decision`)
  // Rejecting without a reason is refused with errors on both reason fields.
  await page.getByRole('radio', { name: /^Reject/ }).check()
  await page.getByRole('button', { name: 'Confirm decision' }).click()
  const summary = page.locator('.nhsuk-error-summary')
  await expect(summary.locator('a[href="#reason_code"]')).toBeVisible()
  await expect(summary.locator('a[href="#reason"]')).toBeVisible()
  await screenshot(page, 'claim-decision-errors')
  const reason = 'Activity for patients registered elsewhere cannot be claimed under this service.'
  await page.getByRole('radio', { name: /^Reject/ }).check()
  const code = page.getByLabel('Reason for rejecting')
  const codeValue = await code.locator('option').nth(1).getAttribute('value')
  const codeText = (await code.locator('option').nth(1).textContent()).trim()
  await code.selectOption(codeValue)
  await page.getByLabel('Explain your decision to the practice').fill(reason)
  await page.getByRole('button', { name: 'Confirm decision' }).click()
  await expect(page.locator('.nhsuk-error-summary')).toHaveCount(0)
  await signOut(page)

  await signIn(page, accounts.practice2User)
  await page.goto(`/claims/${claimId}`)
  await expect(page.getByTestId('claim-status')).toHaveText('Rejected')
  await expect(page.getByTestId('decision-reason')).toContainText(reason)
  await expect(page.getByTestId('decision-reason')).toContainText(codeText)
  await expect(page.getByTestId('timeline')).toContainText(reason)
  await screenshot(page, 'claim-rejected')
})
