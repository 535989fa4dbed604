// Someone asks for an account at a practice; the practice's administrator approves it with roles and the new person
// signs in; the administrator of another practice cannot open the account (404, like an unknown username); the
// practice's administrator disables it, and signing in then fails, saying why.
import { test, expect } from '@playwright/test'
import { accounts, signIn, signOut, screenshot, expectAccessible } from './helpers.mjs'

const newPassword = 'a long enough password for e2e'

async function signInAs (page, username, secret) {
  await page.goto('/sign-in')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill(secret)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

test('a practice administrator approves a requested account with roles, and disables it', async ({ page }) => {
  test.setTimeout(180_000)
  const admin = accounts.practice2User // practice user and administrator of a single-level practice
  await signIn(page, admin)
  const practice = (await (await page.request.get(`/api/v1/accounts/${admin}`)).json()).org_code
  expect(practice).toBeTruthy()
  await signOut(page)

  const username = `e2e.${Date.now().toString(36)}`
  await page.goto('/account-request')
  await page.getByLabel('Full name').fill('Robin Example')
  await page.getByLabel('Email address').fill(`${username}@nhs.invalid`)
  await page.getByLabel('Organisation code').fill(practice)
  await page.getByLabel('Choose a username').fill(username)
  await page.getByLabel('Choose a password').fill(newPassword)
  await page.getByRole('checkbox', { name: /^Practice user/ }).check()
  await page.getByRole('button', { name: 'Send request' }).click()
  await expect(page.getByTestId('flash')).toContainText('Account requested')

  // Not yet approved: the person cannot sign in, and is told why once the password matched (never before).
  await signInAs(page, username, 'not the password at all')
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Enter a correct username and password')
  await signInAs(page, username, newPassword)
  await expect(page.locator('.nhsuk-error-summary')).toContainText("Your account is waiting for your administrator's approval")

  await signIn(page, admin)
  await page.goto(`/admin/accounts/${username}`)
  await expect(page.getByTestId('account-status')).toHaveText('Waiting for approval')
  await expectAccessible(page, 'account waiting for approval')
  await screenshot(page, 'account-requested')
  // No role chosen: an error on the roles, linked from the summary.
  await page.getByRole('checkbox', { name: 'Practice user', exact: true }).uncheck()
  await page.getByRole('button', { name: 'Approve account' }).click()
  const summary = page.locator('.nhsuk-error-summary')
  await expect(summary.getByRole('link', { name: 'Select at least one role' })).toHaveAttribute('href', '#roles')
  await page.getByRole('checkbox', { name: 'Practice user', exact: true }).check()
  await page.getByRole('checkbox', { name: 'Practice approver', exact: true }).check()
  await page.getByRole('button', { name: 'Approve account' }).click()
  await expect(page.getByTestId('flash')).toContainText('Account approved')
  await expect(page.getByTestId('account-status')).toHaveText('Active')
  await expect(page.locator('main')).toContainText('Practice user, Practice approver')
  await expectAccessible(page, 'active account')
  await screenshot(page, 'account-active')
  await signOut(page)

  await signInAs(page, username, newPassword)
  await expect(page.getByTestId('signed-in-user')).toContainText('Robin Example')
  await signOut(page)

  // The administrator of another practice: the same "Page not found" as for an account that does not exist.
  await signIn(page, accounts.practiceUser)
  const response = await page.goto(`/admin/accounts/${username}`)
  expect(response.status()).toBe(404)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found')
  const hidden = await page.locator('main').innerText()
  const unknown = await page.goto('/admin/accounts/no.such.person')
  expect(unknown.status()).toBe(404)
  expect(await page.locator('main').innerText()).toBe(hidden)
  await signOut(page)

  await signIn(page, admin)
  await page.goto(`/admin/accounts/${username}`)
  await page.getByRole('button', { name: 'Disable account' }).click()
  await expect(summary).toContainText('Enter a reason for disabling the account')
  await page.getByLabel('Reason for disabling').fill('Left the practice')
  await page.getByRole('button', { name: 'Disable account' }).click()
  await expect(page.getByTestId('account-status')).toHaveText('Disabled')
  await signOut(page)

  await signInAs(page, username, newPassword)
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Your account has been disabled. Ask your administrator to enable it.')
  await expect(page.getByTestId('signed-in-user')).toHaveCount(0)
})
