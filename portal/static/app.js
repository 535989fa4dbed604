// Progressive enhancement for the claims ledger portal. Every page works without this file.
// - starts the NHS.UK frontend components (error summary focus, header menu, radios, notification banners);
// - keeps worklists and claim timelines up to date from the event stream (Server-Sent Events);
// - draws charts from the JSON data block beside each report table.
// Loaded as a module from /static/app.js, so it runs after the document is parsed. No inline scripts (CSP).

import { initAll } from './nhsuk/nhsuk-frontend.min.js'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('nhsuk-frontend-supported')
}
initAll()

// Live refresh. A region marked data-live-refresh="<id>" is re-fetched from the current URL when an event arrives
// whose stream matches data-live-streams (a space-separated list of stream-id prefixes; empty = any event).
// The whole region is swapped for the fresh server-rendered one, so the page stays the single source of markup.
function startLiveRefresh () {
  const regions = Array.from(document.querySelectorAll('[data-live-refresh]'))
  if (regions.length === 0 || !('EventSource' in window)) return

  const status = document.createElement('p')
  status.className = 'app-live-status nhsuk-body-s'
  status.setAttribute('role', 'status')
  status.setAttribute('aria-live', 'polite')
  status.textContent = 'This page updates itself when something changes.'
  regions[0].before(status)

  const prefixes = new Set()
  let anyEvent = false
  for (const region of regions) {
    const list = (region.dataset.liveStreams || '').split(/\s+/).filter(Boolean)
    if (list.length === 0) anyEvent = true
    list.forEach(p => prefixes.add(p))
  }

  let timer = null
  const refresh = async () => {
    timer = null
    try {
      const response = await fetch(window.location.href, {
        credentials: 'same-origin',
        headers: { Accept: 'text/html' }
      })
      if (!response.ok) return
      const fresh = new DOMParser().parseFromString(await response.text(), 'text/html')
      for (const region of regions) {
        const id = region.getAttribute('data-live-refresh')
        const next = fresh.querySelector(`[data-live-refresh="${CSS.escape(id)}"]`)
        if (next && next.innerHTML !== region.innerHTML) {
          region.innerHTML = next.innerHTML
          initAll(region) // start NHS.UK components (scrolling tables) inside the new markup
          status.textContent = `Updated at ${new Date().toLocaleTimeString('en-GB')}.`
        }
      }
    } catch (_) {
      // The page still shows what it had; the next event tries again.
    }
  }

  // /live/stream sends one unnamed message, data {"stream_id": "claim-..."}, per change to a claim the person may
  // see. If it cannot be opened (signed out, no claims role), EventSource gives up and the page stays as rendered.
  const source = new EventSource('/live/stream')
  source.addEventListener('message', (event) => {
    let streamId = ''
    try {
      streamId = JSON.parse(event.data).stream_id || ''
    } catch (_) {
      streamId = ''
    }
    const relevant = anyEvent || streamId === '' ||
      Array.from(prefixes).some(prefix => streamId.startsWith(prefix))
    if (relevant && timer === null) timer = window.setTimeout(refresh, 400)
  })
  window.addEventListener('pagehide', () => source.close())
}

// Charts. <canvas data-chart="ID"> is drawn from <script type="application/json" id="ID">, whose shape is
// {"type": "bar", "labels": [...], "x_title": "...", "y_title": "...",
//  "datasets": [{"label": "...", "data": [numbers], "colours": [one a bar]?, "type": "line"?, "dashed": bool?}]}.
// A "line" dataset marks a level across the bars (a median, a quartile). The server says in words what each chart
// shows, and the same numbers are in the table that follows it, which is what screen readers and printouts use.
function drawCharts () {
  if (typeof window.Chart !== 'function') return
  const palette = ['#005eb8', '#007f3b', '#ffb81c', '#330072', '#d5281b', '#00a499']
  for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
    const block = document.getElementById(canvas.dataset.chart)
    if (!block) continue
    let spec
    try {
      spec = JSON.parse(block.textContent)
    } catch (_) {
      continue
    }
    canvas.hidden = false
    const lines = ['#212b32', '#4c6272', '#4c6272']
    let lineCount = 0
    const datasets = (spec.datasets || []).map((set, i) => {
      if (set.type === 'line') {
        const colour = lines[lineCount++ % lines.length]
        return {
          type: 'line',
          label: set.label,
          data: set.data,
          borderColor: colour,
          backgroundColor: colour,
          borderWidth: 2,
          borderDash: set.dashed ? [6, 4] : [],
          pointRadius: 0
        }
      }
      const colour = set.colours || palette[i % palette.length]
      return { label: set.label, data: set.data, backgroundColor: colour, borderColor: colour, borderWidth: 2 }
    })
    // eslint-disable-next-line no-new
    new window.Chart(canvas, {
      type: spec.type || 'bar',
      data: { labels: spec.labels || [], datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: datasets.length > 1 } },
        scales: {
          x: { title: { display: Boolean(spec.x_title), text: spec.x_title || '' } },
          y: { beginAtZero: true, title: { display: Boolean(spec.y_title), text: spec.y_title || '' } }
        }
      }
    })
  }
}

startLiveRefresh()
drawCharts()
