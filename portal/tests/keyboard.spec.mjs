// A claim can be started, filled in and submitted with the keyboard alone: Tab, Shift+Tab, arrows, Space, Enter.
import { test, expect } from '@playwright/test'
import { accounts, password } from './helpers.mjs'

// Presses Tab until the focused element matches `selector` (at most `limit` presses) and returns it.
async function tabTo (page, selector, limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate(s => document.activeElement?.matches(s) ?? false, selector)) return
  }
  throw new Error(`could not reach ${selector} with the Tab key`)
}

test('a practice user signs in and submits a claim using only the keyboard', async ({ page }) => {
  test.setTimeout(150_000)
  await page.goto('/sign-in')
  // The skip link is the first thing Tab reaches.
  await page.keyboard.press('Tab')
  await expect(page.locator('.nhsuk-skip-link')).toBeFocused()
  await tabTo(page, '#username')
  await page.keyboard.type(accounts.practiceUser)
  await tabTo(page, '#password')
  await page.keyboard.type(password)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('signed-in-user')).toBeVisible()

  // Try each (service, period) until one can be claimed, choosing with the arrow keys.
  await page.goto('/claims/new')
  const serviceCount = await page.locator('input[name="service"]').count()
  const periodCount = await page.locator('select[name="period"] option').evaluateAll(els => els.filter(e => e.value).length)
  let started = false
  for (let s = 0; s < serviceCount && !started; s++) {
    for (let p = 1; p <= periodCount && !started; p++) {
      await page.goto('/claims/new')
      await tabTo(page, 'input[name="service"]')
      for (let i = 0; i < s; i++) await page.keyboard.press('ArrowDown')
      await page.keyboard.press('Space')
      await tabTo(page, 'select[name="period"]')
      // Focused <select>: ArrowDown moves the choice without opening it.
      for (let i = 0; i < p; i++) await page.keyboard.press('ArrowDown')
      await tabTo(page, 'button[type="submit"]:not(.nhsuk-header__account-button)')
      // Wait for the form's own navigation (a redirect to the edit page, or the form again with an error).
      const navigated = page.waitForNavigation()
      await page.keyboard.press('Enter')
      await navigated
      started = /\/claims\/[^/]+\/edit$/.test(new URL(page.url()).pathname)
    }
  }
  expect(started, 'a claim was started from the keyboard').toBe(true)

  // Fill every component with a small value, Tab by Tab.
  const ids = await page.locator('input[name^="component."]').evaluateAll(els => els.map(e => e.id))
  for (const id of ids) {
    await tabTo(page, `#${id}`)
    await page.keyboard.press('Control+A')
    await page.keyboard.type('1')
  }
  const textareas = await page.locator('textarea[name^="question."]').evaluateAll(els => els.map(e => e.id))
  for (const id of textareas) {
    await tabTo(page, `#${id}`)
    await page.keyboard.type('Typed with the keyboard')
  }
  const radioGroups = await page.locator('input[type="radio"][name^="question."]').evaluateAll(els => [...new Set(els.map(e => e.name))])
  for (const name of radioGroups) {
    await tabTo(page, `input[type="radio"][name="${name}"]`)
    await page.keyboard.press('Space')
  }
  if (await page.getByText('This service needs at least one evidence file').count()) {
    // Choosing a file needs the operating system's file dialog, which a keyboard user also drives; here the
    // browser test sets the file on the focused input, then presses the upload button from the keyboard.
    await tabTo(page, 'input[type="file"]')
    await page.locator('input[type="file"]').setInputFiles({ name: 'evidence.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') })
    await tabTo(page, 'form[enctype] button[type="submit"]')
    const uploaded = page.waitForNavigation()
    await page.keyboard.press('Enter')
    await uploaded
  }
  await tabTo(page, 'button[value="check"]')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: /Check your claim/ })).toBeVisible()
  await tabTo(page, 'form[action$="/submit"] button[type="submit"]')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('claim-status')).toContainText('Awaiting')
})
