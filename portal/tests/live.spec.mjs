// Live refresh: a worklist and a claim page update themselves from /live/stream when claims change, without a
// reload; the stream tells each person only about claims they may see; with JavaScript off the pages stay plain.
import { test, expect } from '@playwright/test'
import { accounts, signIn, startClaim, fillClaim, checkAndSubmit, decide, screenshot } from './helpers.mjs'

const isLiveStream = r => new URL(r.url()).pathname === '/live/stream'

// Opens `path`, waits until the page's live stream is connected, and marks the document so a reload would show.
async function watch (page, path) {
  const connected = page.waitForResponse(r => isLiveStream(r) && r.status() === 200)
  await page.goto(path)
  await connected
  await page.evaluate(() => { window.liveMarker = 'not reloaded' })
}

// The worklist is oldest first and paged, so a newly submitted claim joins its last page.
async function lastWorklistPage (page) {
  await page.goto('/worklist')
  for (let next = page.locator('a[rel="next"]'); await next.count() > 0;) await next.click()
  return new URL(page.url()).pathname + new URL(page.url()).search
}

async function expectNotReloaded (page) {
  expect(await page.evaluate(() => window.liveMarker)).toBe('not reloaded')
}

// Opens a second stream on this page and records every stream id it is sent in window.liveSeen.
async function listen (page) {
  await page.evaluate(() => new Promise((resolve, reject) => {
    window.liveSeen = []
    const source = new EventSource('/live/stream')
    source.onmessage = (event) => window.liveSeen.push(JSON.parse(event.data).stream_id)
    source.onopen = () => resolve()
    source.onerror = () => reject(new Error('the live stream could not be opened'))
  }))
}

async function signedInPage (browser, username) {
  const page = await (await browser.newContext()).newPage()
  await signIn(page, username)
  return page
}

test('a worklist and a claim page show changes made elsewhere without a reload', async ({ browser }) => {
  test.setTimeout(150_000)
  const tier1 = await signedInPage(browser, accounts.tier1)
  const practice2 = await signedInPage(browser, accounts.practice2User) // single level: claims go to Tier 1
  const otherPractice = await signedInPage(browser, accounts.practiceUser)

  const claimId = await startClaim(practice2)
  await fillClaim(practice2, '10')

  // Tier 1 watches the last page of its worklist while practice2 submits.
  await watch(tier1, await lastWorklistPage(tier1))
  await listen(otherPractice)
  const row = tier1.getByTestId('worklist-table').locator(`a[href="/claims/${claimId}/decision"]`)
  const nextPage = tier1.locator('a[rel="next"]')
  await expect(row).toHaveCount(0)
  await checkAndSubmit(practice2)
  // The claim appears on the page, or, when that page was full, the page gains a link to a new last page.
  await expect(row.or(nextPage)).toHaveCount(1)
  await expect(tier1.locator('.app-live-status')).toHaveText(/^Updated at \d{2}:\d{2}:\d{2}\.$/)
  await expectNotReloaded(tier1)
  if (await nextPage.count() > 0) await watch(tier1, await lastWorklistPage(tier1))
  await expect(row).toHaveCount(1)
  await screenshot(tier1, 'live-worklist')

  // practice2 watches the claim while Tier 1 (in another tab) approves it.
  await watch(practice2, `/claims/${claimId}`)
  await expect(practice2.getByTestId('claim-status')).toHaveText('Awaiting Commissioning Organisation Approval')
  await expect(practice2.getByTestId('timeline')).not.toContainText('Approved at Tier 1')
  const tier1Tab = await tier1.context().newPage()
  await decide(tier1Tab, claimId, 'approve')
  await expect(practice2.getByTestId('timeline')).toContainText('Approved at Tier 1')
  await expect(practice2.getByTestId('claim-status')).not.toHaveText('Awaiting Commissioning Organisation Approval')
  await expectNotReloaded(practice2)
  await screenshot(practice2, 'live-claim')
  // The approved claim leaves the worklist still open in Tier 1's first tab.
  await expect(row).toHaveCount(0)
  await expectNotReloaded(tier1)

  // The other practice was told nothing about practice2's claim. Events arrive in log order, so once its own new
  // draft (made after all of practice2's events) has arrived, anything about practice2's claim would have too.
  const otherTab = await otherPractice.context().newPage()
  const ownId = await startClaim(otherTab)
  await expect.poll(() => otherPractice.evaluate(() => window.liveSeen)).toContain(`claim-${ownId}`)
  expect(await otherPractice.evaluate(() => window.liveSeen)).not.toContain(`claim-${claimId}`)
  // Give the (service, period) back so that the other scenarios still find it open.
  await otherTab.getByRole('button', { name: 'Delete draft claim' }).click()
  await expect(otherTab.getByRole('heading', { level: 1, name: 'Claims' })).toBeVisible()
  await tier1.context().close()
  await practice2.context().close()
  await otherPractice.context().close()
})

test('the live stream needs a signed-in person and is not opened with JavaScript off', async ({ browser, request }) => {
  const signedOut = await request.get('/live/stream', { maxRedirects: 0 })
  expect(signedOut.status()).toBe(303)
  expect(signedOut.headers().location).toBe('/sign-in?return_to=/live/stream')

  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  let opened = false
  page.on('request', r => { if (isLiveStream(r)) opened = true })
  await signIn(page, accounts.tier1)
  await page.goto('/worklist')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Claims waiting for Tier 1 approval')
  await expect(page.locator('[data-live-refresh="worklist"]')).toBeVisible()
  await expect(page.locator('.app-live-status')).toHaveCount(0)
  expect(opened).toBe(false)
  await context.close()
})
