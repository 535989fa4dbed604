// A commissioner administrator offers a published service to several practices at once.
import { test, expect } from '@playwright/test'
import { accounts, signIn, signOut, screenshot } from './helpers.mjs'

const isoDay = (offsetDays) => new Date(Date.now() + offsetDays * 86400_000).toISOString().slice(0, 10)

test('offering a service to several practices creates one pending offer each', async ({ page }) => {
  await signIn(page, accounts.icbAdmin)
  await page.goto('/offers/new')
  await screenshot(page, 'offer-new')
  const service = page.getByLabel('Service')
  const options = await service.locator('option').evaluateAll(els => els.map(e => ({ value: e.value, text: e.textContent.trim() })).filter(o => o.value))
  expect(options.length, 'the demo commissioner has a published service').toBeGreaterThan(0)

  // Choose the first service that still has at least two providers not yet offered it.
  let chosen = null
  for (const option of options) {
    await page.goto(`/offers/new?service=${encodeURIComponent(option.value)}`)
    await page.getByLabel('Service').selectOption(option.value)
    if (await page.locator('input[name="providers"]').count() >= 2) { chosen = option; break }
  }
  expect(chosen, 'some service can still be offered to two providers').not.toBeNull()
  const boxes = page.locator('input[name="providers"]')
  const picked = []
  for (const i of [0, 1]) {
    await boxes.nth(i).check()
    picked.push(await boxes.nth(i).getAttribute('value'))
  }
  for (const [label, offset] of [['Participation starts', 0], ['Participation ends', 365], ['Providers must respond by', 30]]) {
    const field = page.getByLabel(label)
    if (!(await field.inputValue())) await field.fill(isoDay(offset))
  }
  await page.getByRole('button', { name: 'Send offers' }).click()
  await expect(page.locator('.nhsuk-error-summary')).toHaveCount(0)
  await expect(page.getByTestId('flash')).toBeVisible()

  await page.goto(`/offers?service=${encodeURIComponent(chosen.value)}`)
  const table = page.getByTestId('offers-table')
  for (const code of picked) {
    await expect(table.locator('tr', { hasText: code })).toContainText('Waiting for response')
  }
  await screenshot(page, 'offers')
  await signOut(page)
})
