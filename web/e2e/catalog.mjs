// The catalog and notification channels in the browser: a service with a dependency (and the
// graph), an on-call override, a webhook channel with a test and its delivery history.
import { choose } from './ui.mjs'

/** Runs the catalog steps as `commander` (an admin, zh-CN). */
export async function catalogSteps(step, page, base, token) {
  await step('catalog: add a service and a dependency, see the graph', async () => {
    await page.goto(`${base}/catalog/services`)
    await page.click('[data-test=service-add]')
    const form = page.locator('[data-test=service-form]')
    await form.locator('input[name=key]').fill('ldap')
    await form.locator('input[name=name]').fill('LDAP 统一认证')
    await form.locator('input[name=rto]').fill('1h')
    await form.locator('input[name=rpo]').fill('15m')
    await page.click('[data-test=service-save]')
    await page.locator('[data-test=services]', { hasText: 'LDAP 统一认证' }).waitFor()
    await page.click('[data-test=service-jira-edit]')
    await choose(page, form.locator('[data-test=service-depends]'), 'LDAP 统一认证', { multiple: true })
    await page.click('[data-test=service-save]')
    await page.locator('[data-test=services] .el-table__row', { hasText: 'jira' }).filter({ hasText: 'ldap' }).waitFor()
    await page.locator('[data-test=service-graph] canvas').waitFor()
  })

  await step('on-call: the coming shifts, and an override', async () => {
    await page.goto(`${base}/catalog/schedules/primary`)
    await page.locator('[data-test=oncall-now]', { hasText: '李雷' }).waitFor()
    await page.locator('[data-test=shift-timeline] .bar').first().waitFor()
    await choose(page, page.locator('[data-test=override-form]'), '韩梅梅')
    const day = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10)
    await page.fill('input[name=override-start]', `${day(2)}T09:00`)
    await page.fill('input[name=override-end]', `${day(3)}T09:00`)
    await page.click('[data-test=override-add]')
    await page.locator('[data-test=overrides]', { hasText: '韩梅梅' }).waitFor()
    await page.locator('[data-test=shifts] .el-tag', { hasText: '替班' }).first().waitFor()
  })

  await step('escalation: a policy paging the on-call schedule, used by P1', async () => {
    await page.goto(`${base}/catalog/policies`)
    await page.click('[data-test=policy-add]')
    const form = page.locator('[data-test=policy-form]')
    await form.locator('input[name=key]').fill('p1-default')
    await form.locator('input[name=name]').fill('P1 默认升级')
    await choose(page, form.locator('[data-test=policy-target-0-0]'), '一线值班 Primary')
    await page.click('[data-test=policy-save]')
    await page.locator('[data-test=policies] .el-card', { hasText: 'P1 默认升级' }).filter({ hasText: '一线值班 Primary' }).waitFor()
    await page.goto(`${base}/catalog/severities`)
    await page.click('[data-test=severity-edit-P1]')
    await choose(page, page.locator('[data-test=severity-form] [data-test=severity-policy]'), 'P1 默认升级')
    await page.click('[data-test=severity-save]')
    await page.locator('[data-test=severities] .el-table__row', { hasText: 'P1 默认升级' }).waitFor()
  })

  await step('channels: add a webhook, send a test, see the delivery history', async () => {
    await page.goto(`${base}/catalog/channels`)
    await page.click('[data-test=channel-add]')
    const form = page.locator('[data-test=channel-form]')
    await form.locator('input[name=name]').fill('运维群 Webhook')
    await choose(page, form.locator('[data-test=channel-type]'), '通用 Webhook')
    // Nothing listens on port 9: the test and the delivery fail, visibly.
    await form.locator('input[name=url]').fill('http://127.0.0.1:9/failsafe-hook')
    await form.locator('input[name=secret]').fill('e2e-signing-secret')
    await page.click('[data-test=channel-save]')
    const row = page.locator('[data-test=channels] .el-table__row', { hasText: '运维群 Webhook' })
    await row.waitFor()
    await row.locator('[data-test^=channel-test-]').click()
    await row.locator('[data-test^=test-outcome-]', { hasText: '测试失败' }).waitFor()
    const response = await fetch(`${base}/api/v1/notifications`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'e2e 通知', markdown: '切换到 Excel 模板', audience: 'internal' }),
    })
    if (response.status !== 202) throw new Error(`POST /notifications: ${response.status}`)
    await row.locator('[data-test^=channel-history-]').click()
    const history = page.locator('[data-test=delivery-history]')
    await history.locator('.el-table__row', { hasText: 'e2e 通知' }).waitFor()
    await page.keyboard.press('Escape')
  })
}
