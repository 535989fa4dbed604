// The full life of one claim of £15,000 or more: practice user -> practice approver -> Tier 1 -> Tier 2 ->
// Finance -> payment run (prepared by Tier 2, confirmed by Finance) -> paid, each role signing in separately.
import { test, expect } from '@playwright/test'
import { accounts, signIn, signOut, startClaim, fillClaim, checkAndSubmit, decide, expectStatus, pence, screenshot } from './helpers.mjs'

test('a claim of 15000 pounds or more goes through every approval stage and is paid', async ({ page }) => {
  test.setTimeout(240_000)

  // Practice user prepares and submits.
  await signIn(page, accounts.practiceUser)
  const claimId = await startClaim(page)
  await fillClaim(page)
  await screenshot(page, 'claim-edit')
  await page.getByRole('button', { name: 'Save and continue' }).click()
  await expect(page.getByRole('heading', { level: 1, name: /Check your claim/ })).toBeVisible()
  await screenshot(page, 'claim-check')
  const amount = await page.getByTestId('amount').textContent()
  expect(pence(amount), `the claim must be worth £15,000 or more to need Finance; it is ${amount}`).toBeGreaterThanOrEqual(1_500_000)
  await page.getByRole('button', { name: 'Submit claim' }).click()
  await expect(page.getByTestId('claim-status')).toHaveText('Awaiting Service Provider Approval')
  await screenshot(page, 'claim-submitted')
  await signOut(page)

  // Practice approver (multi-level practice) sends it to the commissioner; their home says it is waiting.
  await signIn(page, accounts.practiceApprover)
  await page.goto('/')
  await expect(page.getByTestId('actions')).toContainText(/\d+ claims? waiting for your approval/)
  await page.goto('/worklist')
  await expect(page.getByTestId('worklist-table').locator(`a[href="/claims/${claimId}/decision"]`)).toHaveCount(1)
  await decide(page, claimId, 'approve')
  await expectStatus(page, claimId, 'Awaiting Commissioning Organisation Approval')
  await signOut(page)

  // Tier 1 checks the evidence and approves.
  await signIn(page, accounts.tier1)
  await page.goto('/worklist')
  await screenshot(page, 'worklist-tier1')
  await page.goto(`/claims/${claimId}`)
  await expect(page.getByTestId('evidence-downloads')).toContainText('evidence.pdf')
  await decide(page, claimId, 'approve')
  await expectStatus(page, claimId, 'Awaiting Tier 2 Approval')
  await signOut(page)

  // Tier 2 approves; at £15,000 or more it then needs Finance.
  await signIn(page, accounts.tier2)
  await decide(page, claimId, 'approve')
  await expectStatus(page, claimId, 'Awaiting Finance Approval')
  await signOut(page)

  await signIn(page, accounts.finance)
  await page.goto(`/claims/${claimId}/decision`)
  await screenshot(page, 'claim-decision-finance')
  await decide(page, claimId, 'approve')
  await expectStatus(page, claimId, 'Approved for Payment')
  await signOut(page)

  // Tier 2 prepares a payment run holding this claim.
  await signIn(page, accounts.tier2)
  await page.goto('/payment-runs/new')
  await screenshot(page, 'payment-run-new')
  const boxes = page.locator('input[name="claim_ids"]')
  for (let i = 0; i < await boxes.count(); i++) await boxes.nth(i).uncheck()
  await page.locator(`input[name="claim_ids"][value="${claimId}"]`).check()
  // Paid today: a run is marked paid on its pay date or after, never before.
  await page.getByLabel('Pay date').fill(new Date().toISOString().slice(0, 10))
  await page.getByRole('button', { name: 'Create payment run' }).click()
  await expect(page.getByTestId('run-claims').locator(`a[href="/claims/${claimId}"]`)).toHaveCount(1)
  await expect(page.getByTestId('run-total')).toHaveText(amount.trim())
  const runUrl = page.url()
  await screenshot(page, 'payment-run')
  await signOut(page)

  // Finance confirms (someone other than the preparer), then records the payment.
  await signIn(page, accounts.finance)
  await page.goto(runUrl)
  await page.getByRole('button', { name: 'Confirm payment run' }).click()
  await expectStatus(page, claimId, 'Sent for Payment')
  await page.goto(runUrl)
  await page.getByLabel('Payment reference').fill('E2E-PAY-0001')
  await page.getByRole('button', { name: 'Mark as paid' }).click()
  await expect(page.getByTestId('run-status')).toHaveText('Paid')
  await signOut(page)

  // The practice sees it paid, with every stage in the history.
  await signIn(page, accounts.practiceUser)
  await expectStatus(page, claimId, 'Paid')
  const history = page.getByTestId('timeline')
  for (const stage of ['Submitted', 'Approved by the practice', 'Approved at Tier 1', 'Approved at Tier 2',
    'Approved by Finance', 'Approved for payment', 'Added to payment run', 'Sent for payment', 'Paid']) {
    await expect(history.locator('.app-timeline__title', { hasText: new RegExp(`^${stage}$`) }),
      `the history shows the stage "${stage}"`).toHaveCount(1)
  }
  await screenshot(page, 'claim-paid')
  await page.goto('/payments/statement')
  await expect(page.getByTestId('statement').locator(`a[href="/claims/${claimId}"]`)).toHaveCount(1)
  await screenshot(page, 'payment-statement')
})
