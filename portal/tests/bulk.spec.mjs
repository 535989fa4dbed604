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

  // The page offers a CSV file per service with the right columns and one example row (provider, service, an
  // open period, empty values). Fill it in twice: the first row valid, the second with a value that is not a number.
  await page.goto('/claims/bulk')
  const link = page.getByTestId('csv-templates').locator('a').first()
  const response = await page.request.get(await link.getAttribute('href'))
  expect(response.ok()).toBeTruthy()
  const [header, example] = parseCsv(await response.text())
  expect(example, 'the CSV file has an example row').toBeDefined()
  const fixed = ['provider_code', 'service_code', 'period']
  const good = header.map((col, i) => fixed.includes(col) ? example[i] : (/^answer|question/.test(col) ? 'yes' : '1'))
  const bad = good.slice()
  const firstValue = header.findIndex(col => !fixed.includes(col))
  bad[firstValue] = 'twelve'
  const csv = [header, good, bad].map(r => r.join(',')).join('\r\n') + '\r\n'

  await page.getByLabel('Upload a CSV file').setInputFiles({ name: 'claims.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByRole('button', { name: 'Upload file' }).click()

  await expect(page.locator('.nhsuk-error-summary')).toBeVisible()
  const rows = page.getByTestId('row-errors')
  await expect(rows).toBeVisible()
  // Row 3 of the file (header is row 1): the bad value's column is named.
  await expect(rows.locator('tbody tr')).toHaveCount(1)
  await expect(rows.locator('tbody tr td').nth(0)).toHaveText('3')
  await expect(rows.locator('tbody tr td').nth(1)).toHaveText(header[firstValue])
  await screenshot(page, 'bulk-upload-errors')

  expect(await claimCount(page), 'nothing from the file was stored').toBe(before)
})
