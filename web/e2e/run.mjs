// The console end to end: the reference story in two browsers against a real server, screenshots
// of every main page in both languages at desktop and phone width, and two measurements (the
// incident list's first render with 10,000 incidents, the compressed JavaScript of a first load).
// Builds nothing: needs build/bin/failsafe and web/dist (make console-e2e builds both).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { launchBrowser } from './browser.mjs'
import { ADMIN_PASSWORD, adminToken, seedIncidents, seedStory, startServer } from './server.mjs'
import { backupSteps } from './backups.mjs'
import { catalogSteps } from './catalog.mjs'
import { planSteps } from './plans.mjs'
import { roleSteps } from './roles.mjs'
import { watchSteps } from './watch.mjs'
import { startWatchSetup } from './watchSetup.mjs'
import { choose, confirmBox, login } from './ui.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const repo = resolve(here, '../..')
const BIN = process.env.FAILSAFE_BIN ?? join(repo, 'build/bin/failsafe')
const DIST = join(repo, 'web/dist')
const OUT = process.env.E2E_OUT ?? join(repo, 'build/console-e2e')
const SHOTS = join(OUT, 'screenshots')
const LOAD_INCIDENTS = Number(process.env.E2E_INCIDENTS ?? 10_000)
const DESKTOP = { width: 1440, height: 900 }
const PHONE = { width: 390, height: 844 }

for (const [what, path] of [['the failsafe binary', BIN], ['the built console', join(DIST, 'index.html')]]) {
  if (!existsSync(path)) {
    console.error(`e2e: ${what} is missing at ${path} (run make console-e2e)`)
    process.exit(1)
  }
}
mkdirSync(SHOTS, { recursive: true })

class StepFailed extends Error {}
let passed = 0
let failed = 0
async function step(name, body) {
  const started = Date.now()
  try {
    await body()
    passed++
    console.log(`ok   ${name} (${Date.now() - started} ms)`)
  } catch (e) {
    failed++
    console.log(`FAIL ${name}: ${e instanceof Error ? e.message : e}`)
    throw new StepFailed()
  }
}

const watched = await startWatchSetup()
const server = await startServer(BIN, DIST, watched.args)
const base = server.url
const token = adminToken(BIN, base)
seedStory(BIN, base, token, repo)
console.log(`e2e: server ${base}, output in ${OUT}`)

const browser = await launchBrowser()
const results = {}
try {
  // The commander works in Chinese on a desktop; a responder follows on an English phone.
  const commander = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const responder = await browser.newContext({ viewport: PHONE, locale: 'en-US', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true })
  const a = await commander.newPage()
  const b = await responder.newPage()
  for (const page of [a, b]) page.on('pageerror', (e) => console.log(`page error: ${e.message}`))
  let incidentUrl = ''

  await step('log in (zh-CN, desktop)', async () => {
    await login(a, base, 'admin', ADMIN_PASSWORD)
    await a.getByRole('heading', { name: '总览' }).waitFor()
  })

  await step('declare a P1 with the example plan', async () => {
    await a.goto(`${base}/incidents`)
    await a.click('[data-test=declare]')
    const dialog = a.locator('[data-test=declare-dialog]')
    await dialog.locator('input[name=title]').fill('Jira 无法访问 / Jira unreachable')
    await choose(a, dialog.locator('[data-test=declare-services]'), 'Jira (jira)', { multiple: true })
    await choose(a, dialog.locator('[data-test=declare-plan]'), 'Jira')
    await a.click('[data-test=declare-submit]')
    await a.waitForURL(/\/incidents\/INC-\d{4}-\d+$/)
    incidentUrl = a.url()
    await a.locator('[data-test=step-report-outage]').waitFor()
    const sev = await a.locator('[data-test=severity]').innerText()
    if (!sev.includes('P1')) throw new Error(`severity shows ${sev}`)
  })

  await step('assign roles', async () => {
    for (const [role, person] of [['commander', '李雷'], ['tech_support', '韩梅梅'], ['business_coordinator', '李雷'], ['comms_liaison', '韩梅梅'], ['logistics', '李雷']]) {
      await choose(a, a.locator(`[data-test=role-${role}]`), person)
      await a.locator(`[data-test=step-report-outage]`).waitFor()
    }
    await a.locator('[data-test=timeline]', { hasText: '韩梅梅' }).waitFor()
  })

  await step('acknowledge and tick steps', async () => {
    await a.click('[data-test=action-ack]')
    await a.locator('[data-test=status]', { hasText: '已响应' }).waitFor()
    for (const key of ['report-outage', 'assess-impact']) {
      await a.locator(`[data-test=step-${key}] .el-checkbox`).click()
      await a.locator(`[data-test=step-${key}] .el-checkbox.is-checked`).waitFor()
    }
  })

  await step('assign a step to a person; the timeline names the step and the person', async () => {
    await choose(a, a.locator('[data-test=step-assignee-confirm-cause]'), '韩梅梅')
    await a.locator('[data-test=timeline]', { hasText: '指派给 韩梅梅' }).waitFor()
    await a.locator('[data-test=step-assignee-confirm-cause]', { hasText: '韩梅梅' }).waitFor()
  })

  await step('search the list with several words (title and service, any order)', async () => {
    await a.goto(`${base}/incidents`)
    await a.locator('input[data-test=search]').fill('unreachable jira')
    await a.locator('.el-table-v2__row', { hasText: 'Jira 无法访问' }).waitFor()
    await a.locator('input[data-test=search]').fill('unreachable nothing-like-this')
    await a.locator('.el-table-v2__row').first().waitFor({ state: 'detached' })
    await a.goto(incidentUrl)
    await a.locator('[data-test=composer]').waitFor()
  })

  await step('post a status update in Chinese from the plan template', async () => {
    const composer = a.locator('[data-test=composer]')
    await composer.locator('input[name=eta]').fill('30 分钟')
    await composer.locator('[data-test=composer-preview]', { hasText: '排查中' }).waitFor()
    await a.click('[data-test=composer-post]')
    await a.locator('[data-test=updates]', { hasText: '排查中' }).waitFor()
  })

  await step("see the responder's change arrive live", async () => {
    await login(b, base, 'admin', ADMIN_PASSWORD)
    await b.goto(incidentUrl)
    await b.locator('[data-test=step-confirm-cause] .el-checkbox').click()
    const started = Date.now()
    await a.locator('[data-test=step-confirm-cause] .el-checkbox.is-checked').waitFor({ timeout: 10_000 })
    results.live_update_ms = Date.now() - started
    const mode = await a.locator('[data-test=live-mode]').innerText()
    results.live_mode = mode
    console.log(`     arrived after ${results.live_update_ms} ms (${mode})`)
  })

  await step('mitigate, recover, verify, close', async () => {
    for (const [action, status] of [['mitigate', '处置中'], ['resolve', '已恢复'], ['verify', '已验证']]) {
      await a.click(`[data-test=action-${action}]`)
      await a.locator('[data-test=status]', { hasText: status }).waitFor()
    }
    await a.click('[data-test=action-close]')
    await confirmBox(a)
    await a.locator('[data-test=status]', { hasText: '已关闭' }).waitFor()
  })

  await step('write the postmortem', async () => {
    await a.click('[data-test=postmortem]')
    await a.waitForURL(/\/postmortems\/\d+$/)
    await a.locator('textarea[data-test=pm-summary]').fill('云服务商网络故障导致 Jira 不可用 4 小时；各组切换到 Excel 模板，无进度丢失。')
    await a.click('[data-test=add-cause]')
    await a.locator('input[data-test=why-0-0]').fill('Jira 只部署在一家云服务商')
    await a.locator('input[data-test=why-0-1]').fill('没有评估过第二家云的成本')
    await a.locator('[data-test=actions] input[name=action-title]').fill('评估第二家云并每月演练切换')
    await choose(a, a.locator('[data-test=action-owner]'), '李雷')
    await a.locator('[data-test=actions] .el-date-editor input').fill('2026-12-31')
    await a.keyboard.press('Enter')
    await a.click('[data-test=action-add]')
    await a.locator('[data-test=actions] .el-table', { hasText: '评估第二家云' }).waitFor()
    await a.click('[data-test=pm-save]')
    await a.click('[data-test=pm-advance]')
    await a.locator('[data-test=pm-status]', { hasText: '评审中' }).waitFor()
  })

  await catalogSteps(step, a, base, token)
  await planSteps(step, a, base)
  await roleSteps(step, browser, a, base, DESKTOP, new URL(incidentUrl).pathname)
  {
    // A page of its own: the screenshot step below reads the postmortem's address from `a`.
    const w = await a.context().newPage()
    await watchSteps(step, w, base, token, watched)
    await backupSteps(step, browser, w, base, token, results)
    await w.close()
  }

  const overflowing = []
  await step('screenshots of every main page (zh-CN and en, desktop and phone)', async () => {
    const incidentPath = new URL(incidentUrl).pathname
    const postmortemPath = new URL(a.url()).pathname
    const pages = [
      ['dashboard', '/'],
      ['incidents', '/incidents'],
      ['incident', incidentPath],
      ['postmortems', '/postmortems'],
      ['postmortem', postmortemPath],
      ['plans', '/plans?open=pm-system-outage'],
      ['plan-editor', '/plans/pm-system-outage/edit'],
      ['services', '/catalog/services'],
      ['teams', '/catalog/teams'],
      ['people', '/catalog/people'],
      ['schedules', '/catalog/schedules/primary'],
      ['policies', '/catalog/policies'],
      ['severities', '/catalog/severities'],
      ['channels', '/catalog/channels'],
      ['watch-alerts', '/watch/alerts'],
      ['watch-silences', '/watch/silences?expired=1'],
      ['watch-rules', '/watch/rules'],
      ['watch-probes', '/watch/probes'],
      ['watch-logs', '/watch/logs'],
      ['watch-maintenance', '/watch/maintenance?ended=1'],
      ['backups', '/backups'],
      ['admin', '/admin'],
      ['profile', '/profile'],
    ]
    for (const locale of ['zh-CN', 'en']) {
      for (const [device, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
        const context = await browser.newContext({ viewport, locale, timezoneId: 'Asia/Shanghai' })
        const page = await context.newPage()
        await page.goto(`${base}/login`)
        await page.screenshot({ path: join(SHOTS, `${locale}-${device}-login.png`) })
        await login(page, base, 'admin', ADMIN_PASSWORD)
        for (const [name, path] of pages) {
          await page.goto(`${base}${path}`)
          await page.waitForLoadState('networkidle')
          await page.waitForTimeout(300)
          await page.screenshot({ path: join(SHOTS, `${locale}-${device}-${name}.png`), fullPage: true })
          if (device === 'phone') {
            // Wider than the screen means the whole page scrolls sideways.
            const extra = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
            if (extra > 0) overflowing.push(`${locale} ${name} (+${extra} px)`)
          }
        }
        await context.close()
      }
    }
  })

  await step('phone (390 px): the catalog tables and the incident page fit the screen', async () => {
    results.phone_overflowing_pages = overflowing
    const mustFit = ['services', 'teams', 'people', 'policies', 'channels', 'incident', 'incidents', 'watch-alerts', 'watch-silences', 'watch-rules', 'watch-probes', 'watch-logs', 'watch-maintenance', 'backups']
    const bad = overflowing.filter((o) => mustFit.includes(o.split(' ')[1]))
    if (overflowing.length) console.log(`     wider than the phone: ${overflowing.join(', ')}`)
    if (bad.length) throw new Error(`pages scroll sideways at 390 px: ${bad.join(', ')}`)
  })

  await step('first load: compressed JavaScript', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' })
    const page = await context.newPage()
    await login(page, base, 'admin', ADMIN_PASSWORD)
    await page.close()
    const first = await context.newPage()
    const scripts = []
    // Only what the first load fetched: a body asked for after the context closes would reject.
    let loading = true
    first.on('response', async (response) => {
      if (loading && response.request().resourceType() === 'script') scripts.push(response.body().then((b) => b))
    })
    await first.goto(`${base}/`)
    await first.waitForLoadState('networkidle')
    loading = false
    const bodies = await Promise.all(scripts)
    results.first_load_js_files = bodies.length
    results.first_load_js_bytes = bodies.reduce((n, b) => n + b.length, 0)
    results.first_load_js_gzip_bytes = bodies.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0)
    console.log(`     ${bodies.length} scripts, ${(results.first_load_js_bytes / 1024).toFixed(0)} KiB, ${(results.first_load_js_gzip_bytes / 1024).toFixed(0)} KiB gzip`)
    if (results.first_load_js_gzip_bytes > 1024 * 1024) throw new Error('first load is over 1 MiB of compressed JavaScript')
    await context.close()
  })

  await step(`incident list with ${LOAD_INCIDENTS} incidents: first render and scrolling`, async () => {
    const started = Date.now()
    await seedIncidents(base, token, LOAD_INCIDENTS)
    results.seed_incidents = LOAD_INCIDENTS
    results.seed_seconds = (Date.now() - started) / 1000
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' })
    const page = await context.newPage()
    await login(page, base, 'admin', ADMIN_PASSWORD)
    await page.goto(`${base}/profile`)
    await page.waitForLoadState('networkidle')
    // From the click on "Incidents" to the first row on screen (route chunk, first page, render).
    const t0 = Date.now()
    await page.click('.side a[href="/incidents"], .side .el-menu-item:has-text("Incidents")')
    await page.locator('.el-table-v2__row').first().waitFor()
    results.list_first_render_ms = Date.now() - t0
    // A cold deep link: the whole app plus the list.
    const t1 = Date.now()
    await page.goto(`${base}/incidents`)
    await page.locator('.el-table-v2__row').first().waitFor()
    results.list_deep_link_first_render_ms = Date.now() - t1
    await page.locator('[data-test=incident-count]', { hasText: `of ${LOAD_INCIDENTS + 0} loaded` }).waitFor({ timeout: 60_000 }).catch(() => undefined)
    results.list_all_loaded_ms = Date.now() - t1
    results.list_rows_loaded = await page.locator('[data-test=incident-count]').innerText()
    // Scroll through the list for two seconds and record the frame times.
    results.scroll = await page.evaluate(async () => {
      const scroller = [...document.querySelectorAll('.el-table-v2__main *')].find(
        (e) => e.scrollHeight > e.clientHeight + 1000,
      )
      const firstRow = () => document.querySelector('.el-table-v2__main .el-table-v2__row')?.textContent ?? ''
      const before = firstRow()
      const frames = []
      let last = performance.now()
      const end = last + 2000
      while (performance.now() < end) {
        scroller.scrollTop += 600
        await new Promise((r) => requestAnimationFrame(r))
        const now = performance.now()
        frames.push(now - last)
        last = now
      }
      frames.sort((x, y) => x - y)
      return {
        frames: frames.length,
        median_frame_ms: Math.round(frames[Math.floor(frames.length / 2)] * 10) / 10,
        p95_frame_ms: Math.round(frames[Math.floor(frames.length * 0.95)] * 10) / 10,
        scrolled_px: scroller.scrollTop,
        rows_changed: firstRow() !== before,
      }
    })
    console.log(`     seeded in ${results.seed_seconds} s; first render ${results.list_first_render_ms} ms (deep link ${results.list_deep_link_first_render_ms} ms); ${results.list_rows_loaded}; scroll median ${results.scroll.median_frame_ms} ms, p95 ${results.scroll.p95_frame_ms} ms per frame`)
    if (results.list_first_render_ms > 1000) throw new Error('the list took over 1 s to first render')
    if (!results.scroll.rows_changed) throw new Error('scrolling did not move the rows')
    await context.close()
  })
} catch (e) {
  if (!(e instanceof StepFailed)) throw e
} finally {
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
  await browser.close()
  await server.stop()
  await watched.stop()
  console.log(`e2e: ${passed} passed, ${failed} failed`)
  if (failed > 0) process.exitCode = 1
}
