// A commissioner administrator sets up a service in the browser: creates the draft (a missing code, a negative
// claim window and an end before the start are shown in the error summary at once, and fixed), adds a component
// and a question, adds a tariff (a rate with fractions of a penny is refused, then corrected), publishes it and
// offers it to a practice, whose user then sees the offer.
import { test, expect } from '@playwright/test'
import { accounts, signIn, signOut, screenshot, expectAccessible } from './helpers.mjs'

const isoDay = (offsetDays) => new Date(Date.now() + offsetDays * 86400_000).toISOString().slice(0, 10)

test('an administrator configures, publishes and offers a service, and the practice sees the offer', async ({ page }) => {
  test.setTimeout(180_000)
  // The practice that will be offered the service.
  await signIn(page, accounts.practiceUser)
  const me = await (await page.request.get(`/api/v1/accounts/${accounts.practiceUser}`)).json()
  const practice = me.org_code
  expect(practice).toBeTruthy()
  await signOut(page)

  await signIn(page, accounts.icbAdmin)
  const code = `E2E-${Date.now().toString(36).toUpperCase()}`
  const name = `Diabetes reviews ${code}`
  await page.goto('/admin/services')
  await page.getByRole('button', { name: 'Create a service' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Create a service' })).toBeVisible()
  await page.getByLabel('Service name').fill(name)
  await page.getByLabel('Description').fill('Annual reviews for patients with diabetes.')
  await page.getByRole('radio', { name: 'Local enhanced service (LES)' }).check()
  await page.getByRole('radio', { name: 'Quarterly' }).check()
  // Three mistakes at once: no code, a negative claim window and an end before the start.
  await page.getByLabel('Claim window in days').fill('-3')
  await page.getByLabel('Service starts').fill(isoDay(-30))
  await page.getByLabel('Service ends').fill(isoDay(-60))
  await page.getByRole('radio', { name: 'No', exact: true }).check()
  await page.getByRole('button', { name: 'Save service' }).click()

  // Every error shows at once; the summary links to each field, which keeps what was typed elsewhere.
  const summary = page.locator('.nhsuk-error-summary')
  await expect(summary).toContainText('Enter the service code')
  await expect(summary).toContainText('claim window')
  await expect(summary).toContainText('end date')
  await expect(summary.getByRole('link')).toHaveCount(3)
  await expect(page.getByLabel('Service name')).toHaveValue(name)
  await page.getByLabel('Claim window in days').fill('30')
  await page.getByLabel('Service ends').fill(isoDay(400))
  await expectAccessible(page, 'service form with errors')
  await screenshot(page, 'service-form-errors')
  await summary.getByRole('link', { name: 'Enter the service code' }).click()
  await expect(page.getByLabel('Service code')).toBeFocused()
  await page.getByLabel('Service code').fill(code)
  await page.getByRole('button', { name: 'Save service' }).click()
  await expect(page.getByTestId('flash')).toContainText('Service created as a draft')
  await expect(page.getByTestId('service-status')).toHaveText('Draft')
  const serviceId = new URL(page.url()).pathname.split('/').pop()
  expect(serviceId).toBe(code.toLowerCase())

  await page.getByRole('link', { name: 'Add a component' }).click()
  await expectAccessible(page, 'component form')
  await screenshot(page, 'service-component-form')
  await page.getByLabel('Component ID').fill('reviews')
  await page.getByLabel('Name practices see').fill('Annual reviews')
  await page.getByRole('radio', { name: 'A count' }).check()
  await page.getByLabel('Lowest allowed value').fill('0')
  await page.getByLabel('Highest allowed value').fill('500')
  await page.getByRole('group', { name: 'Must practices enter a value?' }).getByRole('radio', { name: 'Yes', exact: true }).check()
  await page.getByRole('button', { name: 'Add component' }).click()
  await expect(page.getByTestId('components')).toContainText('Annual reviews')

  await page.getByRole('link', { name: 'Add a question' }).click()
  await expectAccessible(page, 'question form')
  await page.getByLabel('Question ID').fill('lead_clinician')
  await page.getByLabel('Question practices answer').fill('Who leads diabetes care in your practice?')
  await page.getByRole('radio', { name: 'Text', exact: true }).check()
  await page.getByRole('group', { name: 'Must practices answer?' }).getByRole('radio', { name: 'Yes', exact: true }).check()
  await page.getByRole('button', { name: 'Add question' }).click()
  await expect(page.locator('main')).toContainText('Who leads diabetes care in your practice?')

  await page.getByRole('link', { name: 'Add a tariff version' }).click()
  await page.getByLabel('In force from').fill(isoDay(-30))
  await page.getByRole('radio', { name: /^Item of service/ }).check()
  await page.getByLabel('Annual reviews').fill('12.345')
  await page.getByRole('button', { name: 'Add tariff' }).click()
  await expect(summary).toContainText('fractions of a penny')
  await expect(page.locator('#rate-reviews-error')).toContainText('fractions of a penny')
  await expectAccessible(page, 'tariff form with errors')
  await screenshot(page, 'tariff-form-errors')
  await page.getByLabel('Annual reviews').fill('12.50')
  await page.getByRole('button', { name: 'Add tariff' }).click()
  await expect(page.getByTestId('tariffs')).toContainText('Annual reviews: £12.50 each')
  await expectAccessible(page, 'draft service page')
  await screenshot(page, 'service-draft')

  await page.getByRole('button', { name: 'Publish service' }).click()
  await expect(page.getByTestId('service-status')).toHaveText('Published')

  await page.getByRole('button', { name: 'Offer to providers' }).click()
  await expect(page.getByLabel('Service')).toHaveValue(serviceId)
  await page.locator(`input[name="providers"][value="${practice}"]`).check()
  await page.getByRole('button', { name: 'Send offers' }).click()
  await expect(page.getByTestId('flash')).toContainText('Offers sent to 1 provider')
  await expect(page.getByTestId('offers-table').locator('tr', { hasText: practice })).toContainText('Waiting for response')
  await signOut(page)

  await signIn(page, accounts.practiceUser)
  await page.goto('/services')
  await expect(page.getByTestId('pending-offers')).toContainText(name)
  await signOut(page)
})

// A threshold tariff is typed one tier a line; browsers send the lines of a text area separated by CRLF, and every
// line must be read as a tier, not only the last.
test('a threshold tariff with three tiers, one a line, is saved with all three', async ({ page }) => {
  test.setTimeout(120_000)
  await signIn(page, accounts.icbAdmin)
  const code = `E2T-${Date.now().toString(36).toUpperCase()}`
  await page.goto('/admin/services/new')
  await page.getByLabel('Service code').fill(code)
  await page.getByLabel('Service name').fill(`Asthma reviews ${code}`)
  await page.getByLabel('Description').fill('Reviews of patients with asthma, paid by achievement.')
  await page.getByRole('radio', { name: 'Local enhanced service (LES)' }).check()
  await page.getByRole('radio', { name: 'Quarterly' }).check()
  await page.getByLabel('Claim window in days').fill('30')
  await page.getByLabel('Service starts').fill(isoDay(-30))
  await page.getByLabel('Service ends').fill(isoDay(400))
  await page.getByRole('radio', { name: 'No', exact: true }).check()
  await page.getByRole('button', { name: 'Save service' }).click()
  await expect(page.getByTestId('flash')).toContainText('Service created as a draft')

  const addPercentage = async (id, name, numeratorOf) => {
    await page.getByRole('link', { name: 'Add a component' }).click()
    await page.getByLabel('Component ID').fill(id)
    await page.getByLabel('Name practices see').fill(name)
    await page.getByRole('radio', { name: 'A percentage' }).check()
    await page.getByLabel('Lowest allowed value').fill('0')
    await page.getByLabel('Highest allowed value').fill('100')
    await page.getByRole('group', { name: 'Must practices enter a value?' }).getByRole('radio', { name: 'Yes', exact: true }).check()
    if (numeratorOf) await page.getByLabel('Numerator of (threshold payments only)').selectOption({ label: numeratorOf })
    await page.getByRole('button', { name: 'Add component' }).click()
    await expect(page.getByTestId('components')).toContainText(name)
  }
  await addPercentage('eligible', 'Eligible patients', null)
  await addPercentage('reviewed', 'Patients reviewed', 'Eligible patients')

  await page.getByRole('link', { name: 'Add a tariff version' }).click()
  await page.getByLabel('In force from').fill(isoDay(-30))
  await page.getByRole('radio', { name: 'Threshold' }).check()
  await page.getByLabel('Tiers').fill('50, 1000.00\n75, 2500.00\n90, 4000.00')
  await page.getByRole('button', { name: 'Add tariff' }).click()
  await expect(page.locator('.nhsuk-error-summary')).toHaveCount(0)
  const tariffs = page.getByTestId('tariffs')
  await expect(tariffs).toContainText('£1,000.00')
  await expect(tariffs).toContainText('£2,500.00')
  await expect(tariffs).toContainText('£4,000.00')
  await signOut(page)
})
