// The watch pages (监控) in the browser: clear empty states on a server with no probes or rules
// configured, then an alert pushed over the Alertmanager API arrives live, is silenced from its
// row (the row turns "muted"), and the silence is expired on the silences page.
import { confirmBox } from './ui.mjs'

/** Runs the watch steps as `page` (an admin, zh-CN). */
export async function watchSteps(step, page, base, token) {
  await step('watch: empty states without probes or rules', async () => {
    await page.goto(`${base}/watch/probes`)
    await page.locator('[data-test=probes-empty]', { hasText: '未配置探测' }).waitFor()
    await page.locator('[data-test=series-chart]').first().waitFor()
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
}
