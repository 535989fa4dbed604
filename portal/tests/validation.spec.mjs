// Validation errors appear in the NHS error summary at the top, each linking to its field; fixing them works.
import { test, expect } from '@playwright/test'
import { accounts, signIn, startClaim, openNewClaim, screenshot, expectAccessible } from './helpers.mjs'

async function expectErrorSummaryLinksTo (page, fieldIds) {
  const summary = page.locator('.nhsuk-error-summary')
  await expect(summary).toBeVisible()
  await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible()
  const hrefs = await summary.locator('a').evaluateAll(links => links.map(a => a.getAttribute('href')))
  for (const id of fieldIds) expect(hrefs).toContain(`#${id}`)
  await expect(page).toHaveTitle(/^Error: /)
}

test('starting a claim without choosing shows both errors, each linked to its field, and fixing them continues', async ({ page }) => {
  await signIn(page, accounts.practiceUser)
  await openNewClaim(page)
  await page.getByRole('button', { name: 'Continue' }).click()
  await expectErrorSummaryLinksTo(page, ['service', 'period'])
  // With JavaScript on, the error summary takes focus so screen readers announce it.
  await expect(page.locator('.nhsuk-error-summary')).toBeFocused()
  await expect(page.locator('fieldset:has(#service)')).toHaveAttribute('aria-describedby', /\bservice-error\b/)
  await expect(page.locator('#period-error')).toContainText('Select')
  await screenshot(page, 'claim-new-errors')
  await expectAccessible(page, 'new claim with errors')
  // Following a summary link moves focus to the field.
  await page.locator('.nhsuk-error-summary a[href="#period"]').click()
  await expect(page.locator('#period')).toBeFocused()
  // Fix by starting a real claim.
  await startClaim(page)
  await expect(page.locator('.nhsuk-error-summary')).toHaveCount(0)
})

test('an out-of-range component value is reported in the summary and on the field, and a corrected value is accepted', async ({ page }) => {
  await signIn(page, accounts.practiceUser)
  const claimId = await startClaim(page)
  const first = page.locator('input[name^="component."]').first()
  const firstId = await first.getAttribute('id')
  await first.fill('-1')
  await page.getByRole('button', { name: 'Save and continue' }).click()
  await expectErrorSummaryLinksTo(page, [firstId])
  await expect(page.locator(`#${firstId}`)).toHaveClass(/nhsuk-input--error/)
  await expect(page.locator(`#${firstId}`)).toHaveAttribute('aria-describedby', new RegExp(`${firstId}-error`))
  await expect(page.locator(`#${firstId}-error`)).toBeVisible()
  await screenshot(page, 'claim-edit-errors')
  await expectAccessible(page, 'claim edit with errors')
  await page.locator(`#${firstId}`).fill('1')
  await page.getByRole('button', { name: 'Save as draft' }).click()
  await expect(page.locator('.nhsuk-error-summary')).toHaveCount(0)
  await expect(page).toHaveURL(new RegExp(`/claims/${claimId}/edit`))
  await expect(page.locator(`#${firstId}`)).toHaveValue('1')
})

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false })
  test('sign-in errors and the new claim form work as plain HTML forms', async ({ page }) => {
    await page.goto('/sign-in')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expectErrorSummaryLinksTo(page, ['username', 'password'])
    await signIn(page, accounts.practiceUser)
    await openNewClaim(page)
    await page.getByRole('button', { name: 'Continue' }).click()
    await expectErrorSummaryLinksTo(page, ['service', 'period'])
  })
})

test('a wrong password gives one message that does not say whether the username exists', async ({ page }) => {
  await page.goto('/sign-in')
  await page.getByLabel('Username').fill(accounts.practiceUser)
  await page.getByLabel('Password', { exact: true }).fill('not-the-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  const known = await page.locator('.nhsuk-error-summary').textContent()
  await page.getByLabel('Username').fill('nobody.at.all')
  await page.getByLabel('Password', { exact: true }).fill('not-the-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  const unknown = await page.locator('.nhsuk-error-summary').textContent()
  expect(known.trim()).not.toBe('')
  expect(unknown).toBe(known)
  await screenshot(page, 'sign-in-errors')
})
