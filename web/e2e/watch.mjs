// The watch pages (监控) in the browser, on a server watching a probe target and a log file
// (watchSetup.mjs): the probe's result and its charts; lines appended to the log file show on
// the logs page with the alert their rule fires; the rules page; then an alert pushed over the
// Alertmanager API arrives live, is silenced from its row (the row turns "muted"), and the
// silence is expired on the silences page; a maintenance window is opened and ended.
import { choose, confirmBox } from './ui.mjs'
import { LOG_RULE, LOG_SOURCE, PROBE_NAME } from './watchSetup.mjs'

/** Runs the watch steps as `page` (an admin, zh-CN); `watched` is the running watchSetup. */
export async function watchSteps(step, page, base, token, watched) {
  await step('watch: the probe shows its result and its charts draw', async () => {
    await page.goto(`${base}/watch/probes`)
    await page.locator('[data-test=probes] .el-table__row', { hasText: PROBE_NAME }).filter({ hasText: '成功' }).waitFor({ timeout: 15_000 })
    // Both probe charts have a series (no "no data" overlay); reload until the first samples are in.
    for (const title of ['探测耗时', '探测成功']) {
      const chart = page.locator('[data-test=series-chart]', { hasText: title })
      for (let i = 0; (await chart.getAttribute('data-series')) === '0' && i < 10; i++) {
        await page.waitForTimeout(1000)
        await page.reload()
      }
      if ((await chart.getAttribute('data-series')) === '0') throw new Error(`the chart "${title}" has no series`)
      if ((await chart.locator('.overlay').count()) > 0) throw new Error(`the chart "${title}" says ${await chart.locator('.overlay').innerText()}`)
    }
  })

  await step('watch: the logs page shows the source, and the rule matching appended lines and firing', async () => {
    await page.goto(`${base}/watch/logs`)
    await page.locator('[data-test=log-sources] .el-table__row', { hasText: LOG_SOURCE }).filter({ hasText: 'auth.log' }).waitFor()
    watched.appendFailedLogins('203.0.113.7')
    const rule = page.locator('[data-test=log-rule]', { hasText: LOG_RULE })
    // The file is tailed every second; the page polls every 15 s, so reload instead of waiting.
    for (let i = 0; i < 15; i++) {
      await page.reload()
      await rule.waitFor()
      if ((await rule.locator('[data-test=log-rule-matched]').innerText()) === '3' && (await rule.locator('[data-test=log-rule-firing]').count()) > 0) break
      await page.waitForTimeout(1000)
    }
    await rule.locator('[data-test=log-rule-matched]', { hasText: '3' }).waitFor({ timeout: 1000 })
    await rule.locator('[data-test=log-rule-firing]').waitFor({ timeout: 1000 })
    await rule.getByText('203.0.113.7').waitFor({ timeout: 1000 })
    await rule.getByText('同一 HOST 在 1分 内至少命中 3 次').waitFor({ timeout: 1000 })
  })

  await step('watch: rules and alerts pages', async () => {
    await page.goto(`${base}/watch/rules`)
    await page.locator('[data-test=rules-empty], [data-test=rules-summary]').first().waitFor()
    await page.goto(`${base}/watch/alerts`)
    await page.locator('[data-test=alerts]').waitFor()
  })

  await step('watch: an alert arrives live, is silenced from its row, the silence expires', async () => {
    const response = await fetch(`${base}/api/v2/alerts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify([
        {
          labels: { alertname: 'E2eDiskFull', service: 'jira', severity: 'P4', instance: 'db1:9100' },
          annotations: { summary: 'Disk almost full', summary_zh: '磁盘快满了' },
          startsAt: new Date().toISOString(),
        },
      ]),
    })
    if (!response.ok) throw new Error(`POST /api/v2/alerts: ${response.status} ${await response.text()}`)
    // No reload: the page polls every 5 s.
    const row = page.locator('[data-test=alerts] .el-table__row', { hasText: '磁盘快满了' })
    await row.waitFor({ timeout: 15_000 })
    await row.locator('[data-test=alert-silence]').click()
    const form = page.locator('[data-test=silence-form]')
    await form.locator('input[placeholder="值"]').first().waitFor()
    await form.locator('textarea[data-test=silence-comment]').fill('e2e：磁盘扩容中')
    await page.click('[data-test=silence-save]')
    await page.locator('[data-test=alerts] .el-table__row', { hasText: '磁盘快满了' }).filter({ hasText: '已屏蔽' }).waitFor({ timeout: 15_000 })

    await page.goto(`${base}/watch/silences`)
    const silence = page.locator('[data-test=silences] .el-table__row', { hasText: 'alertname="E2eDiskFull"' })
    await silence.filter({ hasText: '活跃' }).waitFor()
    if ((await silence.innerText()).includes('instance=')) throw new Error('the silence kept the instance label')
    await silence.locator('[data-test=silence-expire]').click()
    await confirmBox(page)
    await silence.waitFor({ state: 'detached' })
  })

  await step('watch: a maintenance window is opened for Jira and ended', async () => {
    await page.goto(`${base}/watch/maintenance`)
    await page.click('[data-test=maintenance-add]')
    const form = page.locator('[data-test=maintenance-form]')
    await choose(page, form.locator('[data-test=maintenance-service]'), 'Jira (jira)')
    await form.locator('[data-test=maintenance-hours-1]').click()
    await form.locator('textarea[data-test=maintenance-reason]').fill('e2e：升级 Jira 数据库')
    await page.click('[data-test=maintenance-save]')
    const row = page.locator('[data-test=maintenance] .el-table__row', { hasText: '升级 Jira 数据库' })
    await row.filter({ hasText: '进行中' }).waitFor()
    await row.locator('[data-test=maintenance-end]').click()
    await confirmBox(page)
    await row.waitFor({ state: 'detached' })
    await page.locator('[data-test=maintenance-show-ended]').click()
    await row.filter({ hasText: '已结束' }).waitFor()
    // One planned for tomorrow (over the API): listed as planned, with "cancel" offered.
    const tomorrow = Date.now() + 86_400_000
    const response = await fetch(`${base}/api/v1/maintenance-windows`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ service: 'jira', starts_at: new Date(tomorrow).toISOString(), ends_at: new Date(tomorrow + 7_200_000).toISOString(), reason: 'e2e：计划内的 Jira 升级' }),
    })
    if (response.status !== 201) throw new Error(`POST /api/v1/maintenance-windows: ${response.status} ${await response.text()}`)
    await page.reload()
    const planned = page.locator('[data-test=maintenance] .el-table__row', { hasText: '计划内的 Jira 升级' })
    await planned.filter({ hasText: '计划中' }).locator('[data-test=maintenance-end]', { hasText: '取消' }).waitFor()
  })
}
