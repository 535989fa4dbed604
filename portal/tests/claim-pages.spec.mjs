// The claim pages as practice users and approvers meet them: nothing typed is lost by an upload, one claim per
// provider, service and period whichever way it is started, and the decision page shows what is being decided.
import { test, expect } from '@playwright/test'
import { accounts, signIn, signOut, startClaim, openNewClaim, fillClaim, checkAndSubmit, expectAccessible, claimIdFromUrl } from './helpers.mjs'

const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

function parseCsv (text) {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/).filter(line => line.trim() !== '').map(line => line.split(','))
}

async function uploadCsv (page, rows, name = 'claims.csv') {
  const csv = rows.map(r => r.join(',')).join('\r\n') + '\r\n'
  await page.goto('/claims/bulk')
  await page.getByLabel('Upload a CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByRole('button', { name: 'Upload file' }).click()
}

test('uploading evidence keeps, and saves, the values typed but not yet saved', async ({ page }) => {
  await signIn(page, accounts.practice2User)
  const claimId = await startClaim(page)
  const first = page.locator('input[name^="component."]').first()
  await first.fill('7')
  await page.getByLabel('Add an evidence file').setInputFiles({ name: 'log.pdf', mimeType: 'application/pdf', buffer: pdf })
  await page.getByRole('button', { name: 'Upload file' }).click()
  await expect(page.getByTestId('evidence-list')).toContainText('log.pdf')
  await expect(page.locator('input[name^="component."]').first()).toHaveValue('7')
  // Saved, not only shown: a fresh load of the page still has it.
  await page.goto(`/claims/${claimId}/edit`)
  await expect(page.locator('input[name^="component."]').first()).toHaveValue('7')
  await expectAccessible(page, 'claim edit page after an upload')

  // A value that cannot be saved is kept as typed and reported; the file chosen with it is still added.
  await page.locator('input[name^="component."]').first().fill('lots')
  await page.getByLabel('Add an evidence file').setInputFiles({ name: 'second.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% second\n%%EOF\n') })
  await page.getByRole('button', { name: 'Upload file' }).click()
  await expect(page.locator('.nhsuk-error-summary')).toBeVisible()
  await expect(page.locator('input[name^="component."]').first()).toHaveValue('lots')
  await expect(page.getByTestId('evidence-list')).toContainText('second.pdf')
  await expect(page.getByTestId('flash')).toContainText('second.pdf has been added')
})

test('a second claim for the same service and period is refused with a link to the first, from the form and from a file', async ({ page, context }) => {
  await signIn(page, accounts.practice2User)
  // The same service and period chosen in two tabs: the first continues, the second is told about the first claim.
  await openNewClaim(page)
  const service = await page.locator('input[name="service"]').first().getAttribute('value')
  await page.locator(`input[name="service"][value="${service}"]`).check()
  const period = await page.locator('select[name="period"] option').nth(1).getAttribute('value')
  await page.locator('select[name="period"]').selectOption(period)
  const other = await context.newPage()
  await other.goto('/claims/new')
  await other.locator(`input[name="service"][value="${service}"]`).check()
  await other.locator('select[name="period"]').selectOption(period)
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page).toHaveURL(/\/claims\/[^/]+\/edit$/)
  const firstId = claimIdFromUrl(page.url())
  await other.getByRole('button', { name: 'Continue' }).click()
  await expect(other.locator('.nhsuk-error-summary')).toContainText(`claim ${firstId.toUpperCase()}`)
  await expect(other.locator('.nhsuk-error-summary')).not.toContainText(period) // "November 2026", not "2026-11"
  await expect(other.getByTestId('existing-claim').getByRole('link')).toHaveAttribute('href', `/claims/${firstId}`)
  await expectAccessible(other, 'new claim refused as a duplicate')
  await other.close()

  // A file of drafts: saved once; the same file again changes nothing and says so.
  await page.goto('/claims/bulk')
  const link = page.getByTestId('csv-templates').locator('a').first()
  const [header, ...examples] = parseCsv(await (await page.request.get(await link.getAttribute('href'))).text())
  const row = examples[0]
  const valueColumn = header.findIndex(col => !['provider_code', 'service_code', 'period'].includes(col))
  // A negative value in a draft file is refused like the form refuses it.
  const negative = row.slice()
  negative[valueColumn] = '-3'
  await uploadCsv(page, [header, negative], 'negative.csv')
  await expect(page.getByTestId('row-errors')).toContainText(header[valueColumn])

  await uploadCsv(page, [header, row])
  await expect(page.getByTestId('flash')).toContainText('1 claim saved')
  await uploadCsv(page, [header, row])
  await expect(page.getByTestId('flash')).toContainText('Nothing new to save')
  await expect(page.getByTestId('flash')).not.toContainText('1 claim saved')

  // Another file for the same provider, service and period is refused, pointing to the draft already there.
  const changed = row.slice()
  changed[valueColumn] = String(Number(changed[valueColumn]) + 1 || 2)
  await uploadCsv(page, [header, changed], 'again.csv')
  const report = page.getByTestId('row-errors')
  await expect(report).toContainText('There is already a claim')
  await expect(report.getByRole('link', { name: /^Open claim / })).toHaveCount(1)
  await expectAccessible(page, 'bulk upload refused as a duplicate')
})

test('Tier 1 sees the values, evidence, tariff and earlier returns where the decision is made; a stale decision says what happened', async ({ page, context }) => {
  test.setTimeout(180_000)
  await signIn(page, accounts.practice2User)
  const claimId = await startClaim(page)
  await fillClaim(page, '10')
  await checkAndSubmit(page)
  await signOut(page)

  await signIn(page, accounts.tier1)
  await page.goto(`/claims/${claimId}/decision`)
  await expect(page.getByTestId('claim-values').locator('tbody tr').first()).toBeVisible()
  await expect(page.getByTestId('claim-values')).not.toContainText('Not entered')
  await expect(page.getByTestId('evidence-downloads').getByRole('link', { name: 'evidence.pdf' })).toHaveAttribute('href', new RegExp(`/claims/${claimId}/evidence/[0-9a-f]{64}$`))
  await expect(page.getByTestId('evidence-downloads')).toContainText('PDF')
  await expect(page.getByTestId('tariff')).toContainText('in force from')
  await page.getByRole('radio', { name: /^Return/ }).check()
  await page.getByLabel('Explain your decision to the practice').fill('Please attach the signed log.')
  await page.getByRole('button', { name: 'Confirm decision' }).click()
  await expect(page.locator('.nhsuk-error-summary')).toHaveCount(0)
  await signOut(page)

  await signIn(page, accounts.practice2User)
  await page.goto(`/claims/${claimId}/edit`)
  await checkAndSubmit(page)
  await signOut(page)

  await signIn(page, accounts.tier1)
  await page.goto(`/claims/${claimId}/decision`)
  await expect(page.getByTestId('earlier-returns')).toContainText('Please attach the signed log.')
  await expectAccessible(page, 'decision page with values, evidence and returns')
  // The form left open in a second tab while the claim is approved in the first: the late decision is not
  // recorded, and the claim page says why.
  const stale = await context.newPage()
  await stale.goto(`/claims/${claimId}/decision`)
  await page.getByRole('radio', { name: /^Approve/ }).check()
  await page.getByRole('button', { name: 'Confirm decision' }).click()
  await expect(page.locator('.nhsuk-error-summary')).toHaveCount(0)
  await stale.getByRole('radio', { name: /^Return/ }).check()
  await stale.getByLabel('Explain your decision to the practice').fill('Too late')
  const [response] = await Promise.all([
    stale.waitForResponse(r => r.url().endsWith(`/claims/${claimId}/decision`) && r.request().method() === 'POST'),
    stale.getByRole('button', { name: 'Confirm decision' }).click()
  ])
  expect(response.status()).toBe(409)
  await expect(stale.getByTestId('flash')).toContainText(`Claim ${claimId.toUpperCase()} is no longer waiting for Tier 1 approval`)
  await expect(stale.getByTestId('claim-status')).toBeVisible()
  // Opening the decision page again shows the claim and why there is nothing to decide, not "Page not found".
  await page.goto(`/claims/${claimId}/decision`)
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Page not found')
  await expect(page.getByTestId('flash')).toContainText('no longer waiting for Tier 1 approval')
  await expectAccessible(page, 'claim page with nothing to decide')
})
