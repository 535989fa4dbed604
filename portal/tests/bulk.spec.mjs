// Bulk upload: one bad row means nothing is stored, and the row's problem is shown.
import { test, expect } from '@playwright/test'
import { accounts, signIn, screenshot } from './helpers.mjs'

function parseCsv (text) {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/).filter(line => line.trim() !== '').map(line => line.split(','))
}

async function claimCount (page) {
  await page.goto('/claims')
  if (await page.getByTestId('claims-table').count() === 0) return 0
  const caption = await page.getByTestId('claims-table').locator('caption').textContent()
  const m = /([\d,]+) claims?/.exec(caption)
  if (!m) throw new Error(`the claims table caption must give the count: "${caption}"`)
  return Number(m[1].replace(/,/g, ''))
}

test('a CSV with one bad row stores nothing and reports the row', async ({ page }) => {
  await signIn(page, accounts.practiceUser)
  const before = await claimCount(page)

  // The page offers a CSV file per service with the right columns and one example row, with valid example values,
  // for each period the practice can still claim. Keep the first example row as it is and spoil the second (or,
  // with only one, the first) by writing a word where the first value column needs a number.
  await page.goto('/claims/bulk')
  const link = page.getByTestId('csv-templates').locator('a').first()
  const response = await page.request.get(await link.getAttribute('href'))
  expect(response.ok()).toBeTruthy()
  const [header, ...examples] = parseCsv(await response.text())
  expect(examples.length, 'the CSV file has at least one example row').toBeGreaterThan(0)
  const fixed = ['provider_code', 'service_code', 'period']
  const firstValue = header.findIndex(col => !fixed.includes(col))
  expect(firstValue, 'the CSV file has a value column').toBeGreaterThan(0)
  const rows = examples.slice(0, 2).map(r => r.slice())
  const badIndex = rows.length - 1
  rows[badIndex][firstValue] = 'twelve'
  const badLine = badIndex + 2 // the header is line 1
  const csv = [header, ...rows].map(r => r.join(',')).join('\r\n') + '\r\n'

  await page.getByLabel('Upload a CSV file').setInputFiles({ name: 'claims.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByRole('button', { name: 'Upload file' }).click()

  await expect(page.locator('.nhsuk-error-summary')).toBeVisible()
  const report = page.getByTestId('row-errors')
  await expect(report).toBeVisible()
  // Exactly one problem, on the spoilt line, naming the column.
  await expect(report.locator('tbody tr')).toHaveCount(1)
  await expect(report.locator('tbody tr td').nth(0)).toHaveText(String(badLine))
  await expect(report.locator('tbody tr td').nth(1)).toHaveText(header[firstValue])
  await screenshot(page, 'bulk-upload-errors')

  expect(await claimCount(page), 'nothing from the file was stored').toBe(before)
})
