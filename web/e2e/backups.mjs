// The Backups page (备份) in the browser against a real server: the empty state points to the CLI;
// a policy backing up a local directory into a local repository is created over the API; Run now
// shows the job's progress from the live feed and then the finished run, and the service turns
// green against its RPO; Drill now passes against the RTO; a viewer sees the page without the
// buttons. Part of run.mjs; `node e2e/backups.mjs` runs only these steps on a server of its own.
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { login } from './ui.mjs'

const VIEWER = { username: 'e2e-backup-viewer', password: 'Backup-Viewer-Horse-31' }

async function api(base, token, method, path, body) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
  return response.status === 204 ? null : response.json()
}

/** A directory worth backing up (incompressible, so the save takes a moment) and a repository path. */
function backupFixture() {
  const root = mkdtempSync(join(tmpdir(), 'failsafe-e2e-backup-'))
  mkdirSync(join(root, 'erp/attachments'), { recursive: true })
  writeFileSync(join(root, 'erp/readme.txt'), 'ERP attachments / ERP 附件\n')
  for (let i = 0; i < 6; i++) writeFileSync(join(root, `erp/attachments/scan-${i}.bin`), randomBytes(4 << 20))
  return { root, source: join(root, 'erp'), repo: join(root, 'repo'), cleanup: () => rmSync(root, { recursive: true, force: true }) }
}

/** Runs the steps as `page` (an admin, zh-CN). Creates the service `erp` if it is missing. */
export async function backupSteps(step, browser, page, base, token, results = {}) {
  const fixture = backupFixture()
  try {
    await step('backups: with no policy the page says how to apply one', async () => {
      await page.goto(`${base}/backups`)
      const empty = page.locator('[data-test=backups-empty]')
      await empty.waitFor()
      const text = await empty.innerText()
      if (!text.includes('failsafe backup policy apply') || !text.includes('docs/backup/policies.md')) throw new Error(`empty state says: ${text}`)
      if (!text.includes('尚无备份策略')) throw new Error(`empty state is not in Chinese: ${text}`)
    })

    await step('backups: a local-repository policy created over the API shows red (never backed up)', async () => {
      const services = await api(base, token, 'GET', '/services?limit=500')
      if (!services.items.some((s) => s.key === 'erp')) {
        await api(base, token, 'POST', '/services', { key: 'erp', name: 'ERP', tier: 'critical', rto: '4h', rpo: '24h' })
      }
      await api(base, token, 'POST', '/backup/policies', {
        yaml: [
          'name: erp-files',
          'service: erp',
          "schedule: '0 2 * * *'",
          'sources: [{kind: paths, paths: [' + fixture.source + ']}]',
          'retention: {keep_daily: 7}',
          'destinations:',
          `  - {url: ${fixture.repo}, media: disk, init: true, password: E2e-Repo-Pw-5}`,
        ].join('\n'),
      })
      await page.goto(`${base}/backups`)
      await page.locator('[data-test=freshness-erp][data-state=never]').waitFor()
      await page.locator('[data-test=restore-erp]', { hasText: '从未演练' }).waitFor()
      await page.locator('[data-test=rule-erp]', { hasText: '副本 0/3' }).waitFor()
    })

    await step('backups: Run now shows live progress, then the finished run, and the service turns green', async () => {
      await page.locator('[data-test=backup-live]', { hasText: '实时' }).waitFor({ timeout: 10_000 })
      const started = Date.now()
      const job = page.locator('[data-test=job-erp-files]')
      const sawJob = job.waitFor({ timeout: 30_000 }).then(
        () => Date.now() - started,
        () => null,
      )
      await page.click('[data-test=run-now-erp-files]')
      await page.locator('[data-test=backup-runs] .el-table__row', { hasText: 'erp-files' }).filter({ hasText: '成功' }).waitFor({ timeout: 60_000 })
      results.backup_run_seen_ms = Date.now() - started
      results.backup_progress_seen_ms = await Promise.race([sawJob, new Promise((r) => setTimeout(() => r(null), 100))])
      await page.locator('[data-test=freshness-erp][data-state=fresh]').waitFor({ timeout: 10_000 })
      await job.waitFor({ state: 'detached', timeout: 10_000 })
      await page.locator('[data-test=rule-erp]', { hasText: '副本 1/3' }).waitFor()
      console.log(`     progress shown after ${results.backup_progress_seen_ms ?? '(not seen)'} ms, run listed after ${results.backup_run_seen_ms} ms`)
      if (results.backup_progress_seen_ms === null) throw new Error('the running job never showed')
    })

    await step('backups: Drill now passes within the RTO and shows the margin', async () => {
      await page.click('[data-test=drill-now-erp-files]')
      await page.locator('[data-test=backup-drills] .el-table__row', { hasText: 'erp-files' }).filter({ hasText: '通过' }).waitFor({ timeout: 60_000 })
      await page.locator('[data-test=restore-erp]', { hasText: '在 RTO 内' }).waitFor({ timeout: 10_000 })
      await page.locator('[data-test=backup-status]', { hasText: '余量' }).waitFor()
    })

    await step('backups: a viewer sees the status in English without Run now or Drill now', async () => {
      await api(base, token, 'POST', '/users', { ...VIEWER, role: 'viewer', display_name: 'Backup viewer' })
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'Asia/Shanghai' })
      const v = await context.newPage()
      await login(v, base, VIEWER.username, VIEWER.password)
      await v.locator('.side .el-menu-item', { hasText: 'Backups' }).click()
      await v.locator('[data-test=freshness-erp]', { hasText: 'Within RPO' }).waitFor()
      await v.locator('[data-test=backup-policies] .el-table__row', { hasText: 'erp-files' }).waitFor()
      await v.waitForLoadState('networkidle')
      const offered = await v.locator('[data-test^=run-now-], [data-test^=drill-now-]').count()
      await context.close()
      if (offered > 0) throw new Error('a viewer is offered Run now / Drill now')
    })
  } finally {
    fixture.cleanup()
  }
}

// Standalone: `node e2e/backups.mjs` (FAILSAFE_BIN, as in run.mjs) runs only these steps.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { dirname, resolve } = await import('node:path')
  const { fileURLToPath } = await import('node:url')
  const { launchBrowser } = await import('./browser.mjs')
  const { ADMIN_PASSWORD, adminToken, startServer } = await import('./server.mjs')
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
  const server = await startServer(process.env.FAILSAFE_BIN ?? join(repo, 'build/bin/failsafe'), join(repo, 'web/dist'))
  const browser = await launchBrowser()
  let failed = 0
  const step = async (name, body) => {
    const t0 = Date.now()
    try {
      await body()
      console.log(`ok   ${name} (${Date.now() - t0} ms)`)
    } catch (e) {
      failed++
      console.log(`FAIL ${name}: ${e instanceof Error ? e.message : e}`)
      throw e
    }
  }
  try {
    const token = adminToken(process.env.FAILSAFE_BIN ?? join(repo, 'build/bin/failsafe'), server.url)
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage()
    page.on('pageerror', (e) => console.log(`page error: ${e.message}`))
    await login(page, server.url, 'admin', ADMIN_PASSWORD)
    await backupSteps(step, browser, page, server.url, token)
  } catch {
    failed = Math.max(failed, 1)
  } finally {
    await browser.close()
    await server.stop()
    console.log(`e2e backups: ${failed ? 'FAILED' : 'passed'}`)
    process.exitCode = failed ? 1 : 0
  }
}
