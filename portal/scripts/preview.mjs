// Renders every portal template with its example data into preview/out/<page>.html, serves the result with the
// same Content-Security-Policy the server sends, screenshots each page with Debian's chromium and runs axe-core.
//
//   node scripts/preview.mjs            render, screenshot and check every page
//   node scripts/preview.mjs --render   render only (no browser)
//   node scripts/preview.mjs claim_edit sign_in.errors   only these examples
//
// Example data: templates/examples/_layout.json holds the keys every page gets (user, csrf_token, nav, ...);
// templates/examples/<page>.json the page's own keys, and <page>.<variant>.json another state of the same page
// (for example sign_in.errors.json). The page is rendered first, then layout.mustache with {{{content}}} = page.
// Exit status: 1 when a page has a serious or critical accessibility violation, a CSP violation or a console error.

import fs from 'node:fs'
import path from 'node:path'
import http from 'node:http'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import Mustache from 'mustache'

const portal = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const templates = path.join(portal, 'templates')
const examples = path.join(templates, 'examples')
const out = path.join(portal, 'preview', 'out')
const shots = path.join(out, 'screenshots')
const args = process.argv.slice(2)
const renderOnly = args.includes('--render')
const only = args.filter(a => !a.startsWith('--'))

export const kChromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']
export const kCsp = "default-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'none'"

function readPartials () {
  const dir = path.join(templates, 'partials')
  const partials = {}
  for (const f of fs.readdirSync(dir)) {
    if (f.endsWith('.mustache')) partials[f.replace(/\.mustache$/, '')] = fs.readFileSync(path.join(dir, f), 'utf8')
  }
  return partials
}

function render () {
  execFileSync('bash', [path.join(portal, 'scripts', 'build-assets.sh'), portal, out], { stdio: 'inherit' })
  fs.mkdirSync(shots, { recursive: true })
  const partials = readPartials()
  const layout = fs.readFileSync(path.join(templates, 'layout.mustache'), 'utf8')
  const common = JSON.parse(fs.readFileSync(path.join(examples, '_layout.json'), 'utf8'))
  common.asset_version = fs.readFileSync(path.join(out, 'static', 'VERSION'), 'utf8').trim()
  const pages = []
  for (const f of fs.readdirSync(examples).sort()) {
    if (!f.endsWith('.json') || f.startsWith('_')) continue
    const name = f.replace(/\.json$/, '')
    if (only.length && !only.includes(name)) continue
    const page = name.split('.')[0]
    const templateFile = path.join(templates, `${page}.mustache`)
    if (!fs.existsSync(templateFile)) throw new Error(`${f}: no template ${page}.mustache`)
    const data = { ...common, ...JSON.parse(fs.readFileSync(path.join(examples, f), 'utf8')) }
    if (data.chart && data.chart.data) {
      // What the server does: serialise the chart numbers, with "<" escaped so the JSON cannot end the script element.
      data.chart.json = JSON.stringify(data.chart.data).replace(/</g, '\\u003c')
    }
    const content = Mustache.render(fs.readFileSync(templateFile, 'utf8'), data, partials)
    const html = Mustache.render(layout, { ...data, content }, partials)
    fs.writeFileSync(path.join(out, `${name}.html`), html)
    pages.push(name)
  }
  // Templates without an example are a contract gap: say so.
  for (const f of fs.readdirSync(templates)) {
    if (!f.endsWith('.mustache') || f === 'layout.mustache') continue
    const page = f.replace(/\.mustache$/, '')
    if (!fs.existsSync(path.join(examples, `${page}.json`))) console.warn(`warning: ${page}.mustache has no examples/${page}.json`)
  }
  return pages
}

const kTypes = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.map': 'application/json' }

function serve () {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost')
    const file = path.join(out, path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ''))
    if (!file.startsWith(out) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { 'Content-Security-Policy': kCsp })
      res.end('not found')
      return
    }
    res.writeHead(200, {
      'Content-Type': kTypes[path.extname(file)] || 'application/octet-stream',
      'Content-Security-Policy': kCsp,
      'X-Content-Type-Options': 'nosniff'
    })
    fs.createReadStream(file).pipe(res)
  })
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)))
}

async function check (pages) {
  const { chromium } = await import('@playwright/test')
  const axeSource = fs.readFileSync(path.join(portal, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')
  const server = await serve()
  const base = `http://127.0.0.1:${server.address().port}`
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: kChromiumArgs })
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  let failures = 0
  const report = []
  for (const name of pages) {
    const page = await context.newPage()
    const problems = []
    page.on('console', msg => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`)
    })
    page.on('response', res => { if (res.status() >= 400) problems.push(`HTTP ${res.status()} ${new URL(res.url()).pathname}`) })
    page.on('pageerror', err => problems.push(`script error: ${err.message}`))
    await page.goto(`${base}/${name}.html`, { waitUntil: 'load' })
    await page.waitForTimeout(150)
    await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true })
    await page.evaluate(axeSource)
    const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }))
    for (const v of result.violations) {
      const line = `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`
      if (v.impact === 'serious' || v.impact === 'critical') problems.push(`axe ${line}`)
      else report.push(`${name}: axe ${line}`)
    }
    // Live-refresh regions open an EventSource to the API, which the static preview server does not have.
    const real = problems.filter(p => !p.includes('/api/v1/events/stream'))
    if (real.length) {
      failures++
      console.log(`FAIL ${name}\n  ${real.join('\n  ')}`)
    } else {
      console.log(`ok   ${name}`)
    }
    await page.close()
  }
  await browser.close()
  server.close()
  if (report.length) console.log(`\nminor findings:\n  ${report.join('\n  ')}`)
  console.log(`\n${pages.length} pages, ${failures} with problems; screenshots in ${path.relative(process.cwd(), shots)}`)
  return failures
}

const pages = render()
console.log(`rendered ${pages.length} pages into ${path.relative(process.cwd(), out)}`)
if (!renderOnly) process.exitCode = (await check(pages)) ? 1 : 0
