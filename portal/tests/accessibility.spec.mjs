// Every main page, for every role, has no serious or critical axe-core violation; each is saved as a screenshot.
import { test, expect } from '@playwright/test'
import { accounts, signIn, screenshot, expectAccessible } from './helpers.mjs'

// Pages each role can open without preparing any data. `first` follows the first link in a table to reach a
// detail page (a claim, a decision, a service...) when the demo data has one, and `then` goes on to a path below it.
const pagesByRole = {
  [accounts.practiceUser]: ['/', '/claims', '/claims/new', '/claims/bulk', '/services', '/payments/statement',
    { first: '/claims', link: '[data-testid="claims-table"] tbody a', name: 'claim' }],
  [accounts.practiceApprover]: ['/worklist'],
  [accounts.tier1]: ['/', '/worklist', { first: '/worklist', link: '[data-testid="worklist-table"] tbody a', name: 'claim-decision' }],
  [accounts.tier2]: ['/payment-runs', '/payment-runs/new', { first: '/payment-runs', link: '[data-testid="payment-runs"] tbody a', name: 'payment-run' }],
  [accounts.finance]: ['/worklist', '/reports', { first: '/reports', link: '.nhsuk-card__link', name: 'report' }],
  [accounts.icbAdmin]: ['/admin/services', '/admin/services/new', '/offers', '/offers/new', '/admin/providers', '/admin/accounts',
    { first: '/admin/services', link: '[data-testid="services-table"] tbody a', name: 'service' },
    { first: '/admin/providers', link: '[data-testid="providers-table"] tbody a', name: 'provider' },
    { first: '/admin/services', link: '[data-testid="services-table"] tbody tr:has-text("Published") a', name: 'tariff-form', then: '/tariffs/new' },
    { first: '/admin/accounts', link: '[data-testid="accounts"] tbody a', name: 'account' }],
  [accounts.auditor]: ['/audit/events', '/audit/verify']
}

const slug = (role, p) => `${role}${p === '/' ? '-home' : p.replace(/[/?=&]+/g, '-')}`.replace(/-+$/, '')

test('the signed-out pages are accessible', async ({ page }) => {
  for (const p of ['/sign-in', '/account-request', '/accessibility']) {
    await page.goto(p)
    await expectAccessible(page, p)
    await screenshot(page, `signed-out${p.replace(/\//g, '-')}`)
  }
})

for (const [role, pages] of Object.entries(pagesByRole)) {
  test(`every main page is accessible for ${role}`, async ({ page }) => {
    test.setTimeout(120_000)
    await signIn(page, role)
    for (const p of pages) {
      if (typeof p === 'string') {
        await page.goto(p)
        await expect(page.getByRole('heading', { level: 1 }).first(), `${p} exists for ${role}`).not.toHaveText('Page not found')
        await expectAccessible(page, `${p} as ${role}`)
        await screenshot(page, slug(role, p))
      } else {
        await page.goto(p.first)
        const link = page.locator(p.link).first()
        expect(await link.count(), `the demo data gives ${role} a ${p.name} to open from ${p.first}`).toBeGreaterThan(0)
        await link.click()
        if (p.then) await page.goto(new URL(page.url()).pathname + p.then)
        await expect(page.getByRole('heading', { level: 1 }).first(), `${p.name} exists for ${role}`).not.toHaveText('Page not found')
        await expectAccessible(page, `${p.name} as ${role}`)
        await screenshot(page, `${role}-${p.name}`)
      }
    }
  })
}
