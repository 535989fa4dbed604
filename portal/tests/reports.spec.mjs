// Reports as finance officers and auditors read them: each chart shows the report's own measure with its axes
// titled, the row count is the true one with paging, the filters reach the table and the CSV alike, and every
// report and audit page says which log head it was computed from and can be asked "as of" a time or a position.
import { test, expect } from '@playwright/test'
import { accounts, signIn, screenshot, expectAccessible } from './helpers.mjs'

async function chartData (page, n = 0) {
  const id = await page.getByTestId('report-chart').nth(n).locator('canvas').getAttribute('data-chart')
  return JSON.parse(await page.locator(`script#${id}`).textContent())
}

async function columnTexts (page, heading) {
  const headers = await page.getByTestId('report-table').locator('thead th').allTextContents()
  const index = headers.findIndex(h => h.trim() === heading)
  expect(index, `a column headed ${heading}`).toBeGreaterThanOrEqual(0)
  return page.getByTestId('report-table').locator(`tbody tr td:nth-child(${index + 1})`).allTextContents()
}

async function csvRows (page) {
  const href = await page.getByTestId('csv-download').getAttribute('href')
  const response = await page.request.get(href)
  expect(response.status()).toBe(200)
  const lines = (await response.text()).split('\r\n').filter(Boolean)
  return { href, header: lines[0].split(','), rows: lines.slice(1) }
}

test('the claims report gives its true row count, pages through every row, and the CSV has the same rows', async ({ page }) => {
  await signIn(page, accounts.finance)
  await page.goto('/reports/claims')
  const link = page.getByTestId('csv-download')
  await expect(link).toHaveText(/^Download all [\d,]+ rows? as CSV$/)
  const count = Number((await link.textContent()).match(/[\d,]+/)[0].replace(/,/g, ''))
  const csv = await csvRows(page)
  expect(csv.rows.length).toBe(count)
  expect(count, 'the demo history has more claims than a page').toBeGreaterThan(50)
  const caption = page.getByTestId('report-table').locator('caption')
  await expect(caption).toContainText(`rows 1 to 50 of ${count.toLocaleString('en-GB')} rows`)
  await expect(page.getByTestId('report-table').locator('tbody tr')).toHaveCount(50)
  await page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: /Next/ }).click()
  await expect(caption).toContainText('rows 51 to')
  // Claims by their reference, statuses in words: no raw codes.
  // (claims made in the portal are C-…; the simulated history's are named by practice, service and period)
  for (const ref of await columnTexts(page, 'Claim')) expect(ref).toMatch(/^[A-Z0-9][A-Z0-9-]*$/)
  await expectAccessible(page, 'claims report page 2')
})

test('uptake for one service plots every practice\'s units per 1,000 patients, with median, quartiles and outliers', async ({ page }) => {
  await signIn(page, accounts.finance)
  await page.goto('/reports/uptake')
  const services = await page.getByLabel('Service').locator('option').evaluateAll(os => os.map(o => o.value).filter(Boolean))
  expect(services.length).toBeGreaterThan(0)
  let service = ''
  for (const candidate of services) {
    await page.getByLabel('Service').selectOption(candidate)
    await page.getByRole('button', { name: 'Show report' }).click()
    if (await page.getByTestId('report-table').locator('tbody tr').count() > 2) { service = candidate; break }
  }
  expect(service, 'a service with uptake at several practices').not.toBe('')
  await expect(page.getByTestId('report-chart')).toHaveCount(1)
  const chart = await chartData(page)
  expect(chart.y_title).toBe('Units per 1,000 registered patients')
  expect(chart.x_title).toBe('Practice')
  const perThousand = (await columnTexts(page, 'Units per 1,000 patients')).map(Number)
  expect(chart.datasets[0].data).toEqual(perThousand)
  const practices = await columnTexts(page, 'Practice')
  expect(chart.labels.every((label, i) => label.startsWith(practices[i]))).toBe(true)
  const median = (await columnTexts(page, 'Service median'))[0]
  expect(chart.datasets.map(d => d.label)).toEqual(expect.arrayContaining([`Median ${median}`]))
  expect(chart.datasets.filter(d => d.type === 'line')).toHaveLength(3)
  await expect(page.getByTestId('chart-summary')).toContainText(`Median ${median} units per 1,000 registered patients`)
  // Outliers are named: exactly the practices the report flags.
  const flagged = (await columnTexts(page, 'Outlier')).filter(t => t.trim() !== '').length
  if (flagged > 0) await expect(page.getByTestId('chart-outliers').locator('li')).toHaveCount(flagged)
  else await expect(page.getByTestId('chart-summary')).toContainText('No practice is an outlier')
  // The CSV link carries the same filter and gives the same rows.
  const csv = await csvRows(page)
  expect(csv.href).toContain(`service=${encodeURIComponent(service)}`)
  expect(csv.rows.length).toBe(perThousand.length)
  await expectAccessible(page, 'uptake report for one service')
  await screenshot(page, 'report-uptake')
})

test('each chart shows its report\'s measure: hours for turnaround, none for a list of services', async ({ page }) => {
  await signIn(page, accounts.finance)
  await page.goto('/reports/turnaround')
  const chart = await chartData(page)
  expect(chart.y_title).toBe('Hours')
  expect(chart.datasets.map(d => d.label)).toEqual(['Median (hours)', '90th percentile (hours)'])
  expect(chart.datasets[0].data).toEqual((await columnTexts(page, 'Median (hours)')).map(Number))
  await page.goto('/reports/services')
  await expect(page.getByTestId('report-table')).toBeVisible()
  await expect(page.getByTestId('report-chart')).toHaveCount(0)
  await expectAccessible(page, 'services report')
})

test('a practice and period filter narrow the page and its CSV alike', async ({ page }) => {
  await signIn(page, accounts.finance)
  await page.goto('/reports/activity')
  const practices = await page.getByLabel('Practice', { exact: true }).locator('option').evaluateAll(os => os.map(o => o.value).filter(Boolean))
  let practice = ''
  for (const candidate of practices) {
    await page.getByLabel('Practice', { exact: true }).selectOption(candidate)
    await page.getByRole('button', { name: 'Show report' }).click()
    if (await page.getByTestId('report-table').locator('tbody tr').count() > 0) { practice = candidate; break }
  }
  expect(practice).not.toBe('')
  for (const code of await columnTexts(page, 'Practice code')) expect(code).toBe(practice)
  const count = Number((await page.getByTestId('csv-download').textContent()).match(/[\d,]+/)[0].replace(/,/g, ''))
  const csv = await csvRows(page)
  expect(csv.href).toContain(`provider=${practice}`)
  expect(csv.rows.length).toBe(count)
  const providerColumn = csv.header.indexOf('provider')
  for (const row of csv.rows) expect(row.split(',')[providerColumn]).toBe(practice)
  // A period filter the report understands, in words on the page and as the API's form in the CSV link.
  const months = await page.getByLabel('From period').locator('option').evaluateAll(os => os.map(o => o.value).filter(Boolean))
  await page.getByLabel('From period').selectOption(months[0])
  await page.getByRole('button', { name: 'Show report' }).click()
  expect((await csvRows(page)).href).toContain(`period_from=${months[0]}`)
  await expectAccessible(page, 'activity report filtered')
})

test('a report as of a log position or a time names the log head; a bad value says what to enter', async ({ page }) => {
  await signIn(page, accounts.finance)
  await page.goto('/reports/claims')
  await page.getByLabel('Or log position').fill('12x')
  await page.getByRole('button', { name: 'Show report' }).click()
  await expect(page.getByRole('alert')).toContainText('Enter the log position as a whole number, like 1,234')
  await expectAccessible(page, 'report with a bad position')

  await page.getByLabel('Or log position').fill('20')
  await page.getByRole('button', { name: 'Show report' }).click()
  const head = page.getByTestId('log-head')
  await expect(head).toContainText('Computed from the log up to event 20,')
  await expect(head).toContainText('Fingerprint of the log up to event 20')
  await head.getByText('Show the full fingerprint').click()
  const full = await page.getByTestId('log-head-hash').textContent()
  expect(full).toMatch(/^[0-9a-f]{64}$/)
  expect(full.startsWith(await page.getByTestId('log-head-hash-short').textContent())).toBe(true)
  expect(await page.getByTestId('csv-download').getAttribute('href')).toContain('as_of=20')

  await page.getByLabel('Or log position').fill('')
  await page.getByLabel('Date, or date and time').fill('31/03/2026')
  await page.getByRole('button', { name: 'Show report' }).click()
  await expect(page.getByRole('alert')).toContainText('Enter the date as 2026-03-31, or the date and time as 2026-03-31 14:30')
  await page.getByLabel('Date, or date and time').fill('2000-01-01 09:30')
  await page.getByRole('button', { name: 'Show report' }).click()
  await expect(head).toContainText('The log had no events then.')
  await expectAccessible(page, 'report as of a time')
})

test('the auditor checks the ledger and reads its fingerprint, as of a position, in plain words', async ({ page }) => {
  await signIn(page, accounts.auditor)
  await page.goto('/audit/verify')
  await expect(page.getByText('Head hash')).toHaveCount(0)
  await expect(page.getByTestId('log-head')).toContainText(/Fingerprint of the log up to event [\d,]+/)
  await page.getByLabel('Or log position').fill('5')
  await page.getByRole('button', { name: 'Show the fingerprint' }).click()
  await expect(page.getByTestId('log-head')).toContainText('Fingerprint of the log up to event 5')
  const fingerprint = await page.getByTestId('log-head-hash').textContent()
  await expectAccessible(page, 'verify as of a position')

  await page.goto('/audit/events?position=5')
  await expect(page.getByTestId('log-head')).toContainText('Computed from the log up to event 5,')
  for (const position of await page.getByTestId('events-table').locator('tbody tr td:first-child').allTextContents()) {
    expect(Number(position)).toBeLessThanOrEqual(5)
  }
  expect(await page.getByTestId('log-head-hash').textContent()).toBe(fingerprint)
  await page.goto('/audit/events?position=0')
  await expect(page.getByRole('alert')).toContainText('Enter the log position as a whole number')
  await expectAccessible(page, 'event log with a bad position')
})
