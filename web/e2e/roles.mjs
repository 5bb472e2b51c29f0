// Admin users in the browser, then what a viewer and a responder are offered: a forbidden action
// is not shown (the server would refuse it anyway).
import { choose, login } from './ui.mjs'

const PASSWORD = 'Staple-Battery-Horse-77'

async function addUser(page, username, roleLabel) {
  await page.click('[data-test=user-add]')
  const form = page.locator('[data-test=user-form]')
  await form.locator('input[name=username]').fill(username)
  await form.locator('input[name=display_name]').fill(username)
  await choose(page, form.locator('[data-test=user-form-role]'), roleLabel)
  await form.locator('input[name=password]').fill(PASSWORD)
  await page.click('[data-test=user-save]')
  await page.locator('[data-test=users] .el-table__row', { hasText: username }).waitFor()
}

/** Fails when any of `selectors` is on the page once `ready` shows. */
async function absent(page, path, ready, selectors) {
  await page.goto(path)
  await page.locator(ready).first().waitFor()
  await page.waitForLoadState('networkidle')
  for (const selector of selectors) {
    if ((await page.locator(selector).count()) > 0) throw new Error(`${path}: ${selector} is offered`)
  }
}

export async function roleSteps(step, browser, page, base, viewport, incidentPath) {
  await step('admin: add a viewer and a responder', async () => {
    await page.goto(`${base}/admin`)
    await addUser(page, 'e2e-viewer', '只读用户')
    await addUser(page, 'e2e-responder', '处置人员')
    await page.getByRole('tab', { name: 'API 令牌' }).click()
    await page.locator('[data-test=all-tokens] .el-table__row').first().waitFor()
  })

  await step('a viewer is offered no writes', async () => {
    const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'Asia/Shanghai' })
    const v = await context.newPage()
    await login(v, base, 'e2e-viewer', PASSWORD)
    if ((await v.locator('.side a[href="/admin"], .side .el-menu-item:has-text("Admin")').count()) > 0) throw new Error('the admin page is offered')
    await absent(v, `${base}/catalog/services`, '[data-test=services] .el-table__row', ['[data-test=service-add]', '[data-test$=-edit]'])
    await absent(v, `${base}/catalog/schedules/primary`, '[data-test=schedule-detail]', ['[data-test=override-form]', '[data-test=schedule-add]'])
    await absent(v, `${base}/catalog/channels`, '[data-test=channels] .el-table__row', ['[data-test=channel-add]', '[data-test^=channel-test-]'])
    await absent(v, `${base}/plans`, '[data-test=plans] .el-table__row', ['[data-test=plan-new]', '[data-test^=plan-edit-]'])
    await absent(v, `${base}/incidents`, '[data-test=incident-count]', ['[data-test=declare]'])
    await absent(v, `${base}/watch/maintenance`, '[data-test=maintenance]', ['[data-test=maintenance-add]', '[data-test=maintenance-end]'])
    await absent(v, `${base}${incidentPath}`, '[data-test=step-report-outage]', [
      '[data-test^=action-]',
      '[data-test^=step-assignee-]',
      '[data-test=step-report-outage] .el-checkbox:not(.is-disabled)',
      '[data-test=composer]',
    ])
    await context.close()
  })

  await step('a responder may change the catalog but not channels, escalation, severities or approvals', async () => {
    const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'Asia/Shanghai' })
    const r = await context.newPage()
    await login(r, base, 'e2e-responder', PASSWORD)
    await r.goto(`${base}/catalog/services`)
    await r.locator('[data-test=service-add]').waitFor()
    await absent(r, `${base}/catalog/policies`, '[data-test=policies] .el-card', ['[data-test=policy-add]'])
    await absent(r, `${base}/catalog/severities`, '[data-test=severities] .el-table__row', ['[data-test^=severity-edit-]'])
    await absent(r, `${base}/plans`, '[data-test^=plan-edit-]', ['[data-test^=plan-approve-]', '[data-test^=plan-reviewed-]'])
    // Channels decide where incident details go: a responder may test them, not add or change them.
    await absent(r, `${base}/catalog/channels`, '[data-test^=channel-test-]', ['[data-test=channel-add]'])
    await context.close()
  })
}
