// A practice cannot open another practice's claim: it is answered exactly like a claim that does not exist.
import { test, expect } from '@playwright/test'
import { accounts, signIn, signOut, startClaim, screenshot } from './helpers.mjs'

test("a practice user opening another practice's claim gets page not found", async ({ page }) => {
  await signIn(page, accounts.practice2User)
  await page.goto('/claims')
  let otherClaim
  const firstLink = page.getByTestId('claims-table').locator('tbody a').first()
  if (await firstLink.count()) {
    otherClaim = new URL(await firstLink.getAttribute('href'), page.url()).pathname
  } else {
    otherClaim = `/claims/${await startClaim(page)}`
  }
  await signOut(page)

  await signIn(page, accounts.practiceUser)
  const forbidden = await page.goto(otherClaim)
  expect(forbidden.status()).toBe(404)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found')
  await screenshot(page, 'not-found')
  const forbiddenText = await page.locator('main').textContent()

  const missing = await page.goto('/claims/no-such-claim-0000')
  expect(missing.status()).toBe(404)
  expect(await page.locator('main').textContent(), 'unknown and forbidden look the same').toBe(forbiddenText)

  // Its edit and decision pages are hidden the same way.
  for (const suffix of ['/edit', '/check', '/decision', '/withdraw']) {
    const response = await page.goto(otherClaim + suffix)
    expect(response.status(), `${otherClaim}${suffix}`).toBe(404)
  }
})
