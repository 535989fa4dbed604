// A practice's Services page shows, for each service it provides, what is open to claim now: the same services and
// periods the New claim page offers, since both ask core which claim windows are open. (It once said "None open"
// beside every service while New claim offered November for the same services.)
import { test, expect } from '@playwright/test'
import { accounts, signIn, expectAccessible } from './helpers.mjs'

test('the services page shows open to claim what the new claim page offers', async ({ page }) => {
  await signIn(page, accounts.practiceUser)
  await page.goto('/claims/new')
  const services = await page.locator('input[name="service"]').evaluateAll(
    els => els.map(e => (e.labels[0] ? e.labels[0].textContent : '').trim()))
  expect(services.length, 'the demo data must offer this practice a service with an open claim window').toBeGreaterThan(0)
  const periods = await page.locator('select[name="period"] option').evaluateAll(
    els => els.filter(e => e.value).map(e => e.textContent.replace(/\s*\(window closes.*$/s, '').trim()))
  expect(periods.length).toBeGreaterThan(0)

  await page.goto('/services')
  const table = page.getByTestId('participations')
  await expect(table).toBeVisible()
  const rows = await table.locator('tbody tr').evaluateAll(
    trs => trs.map(tr => ({ service: tr.cells[0].textContent, open: tr.cells[4].textContent })))
  for (const service of services) {
    const row = rows.find(r => r.service.includes(service))
    expect(row, `the services page lists ${service}`).toBeTruthy()
    expect(row.open, `what is open to claim for ${service}`).not.toContain('None open')
  }
  const open = rows.map(r => r.open).join(' ')
  for (const period of periods) {
    // A one-off service shows the days it takes activity for rather than one period.
    if (!open.includes('Activity on any day')) expect(open, `the period ${period} shows as open`).toContain(period)
  }
  await expectAccessible(page, 'services and offers')
})
