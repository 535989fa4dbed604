// Long lists page by the read models' cursor with the NHS.UK pagination component; the links keep the filter.
import { test, expect } from '@playwright/test'
import { accounts, signIn, screenshot, expectAccessible } from './helpers.mjs'

async function claimRefs (page) {
  return page.getByTestId('claims-table').locator('tbody a').allTextContents()
}

test('the commissioner claims list pages forward and back, keeping the status filter', async ({ page }) => {
  await signIn(page, accounts.tier1)
  // The first status with more claims than a page (50) in the demo history; all statuses together have several pages.
  const pagination = page.getByRole('navigation', { name: 'Pagination' })
  let status = ''
  for (const candidate of ['paid', 'approved', 'awaiting', '']) {
    await page.goto('/claims')
    await page.getByLabel('Status').selectOption(candidate)
    await page.getByRole('button', { name: 'Show claims' }).click()
    status = candidate
    if (await pagination.count() > 0) break
  }
  const caption = page.getByTestId('claims-table').locator('caption')
  await expect(caption).toHaveText(/^\d+ claims on page 1$/)
  const first = await claimRefs(page)
  expect(first.length).toBeGreaterThanOrEqual(50)
  await expect(pagination.getByRole('link', { name: /Previous/ })).toHaveCount(0)

  await pagination.getByRole('link', { name: /Next/ }).click()
  expect(new URL(page.url()).searchParams.get('status') || '').toBe(status)
  expect(new URL(page.url()).searchParams.get('cursor')).toMatch(/^[0-9a-f]+$/)
  await expect(caption).toHaveText(/^\d+ claims? on page 2$/)
  const second = await claimRefs(page)
  expect(second.filter(ref => first.includes(ref))).toEqual([])
  const expected = { paid: /^Paid$/, approved: /Approved for Payment|Payment Held|Sent for Payment/, awaiting: /^Awaiting/, '': /./ }
  for (const tag of await page.getByTestId('claims-table').locator('tbody .nhsuk-tag').allTextContents()) {
    expect(tag.trim()).toMatch(expected[status])
  }
  await expectAccessible(page, 'claims page 2')
  await screenshot(page, 'claims-page-2')

  await pagination.getByRole('link', { name: /Previous/ }).click()
  await expect(caption).toHaveText(/^\d+ claims on page 1$/)
  expect(await claimRefs(page)).toEqual(first)
  expect(new URL(page.url()).searchParams.get('status') || '').toBe(status)
})
