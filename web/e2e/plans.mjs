// The plan editor in the browser: saving the example plan unchanged gives a version with the same
// YAML (the editor round-trips it), then a step added in the form shows in the diff.

export async function planSteps(step, page, base) {
  const key = 'pm-system-outage'
  await step('plans: the editor round-trips the example plan (no diff)', async () => {
    await page.goto(`${base}/plans/${key}/edit`)
    await page.locator('input[name=title-zh]').waitFor()
    await page.click('[data-test=plan-save]')
    await page.waitForURL(/\/plans\?open=/)
    const diff = page.locator('[data-test=plan-diff]')
    await diff.waitFor()
    await diff.getByText('两个版本内容相同').waitFor()
  })

  await step('plans: add a step in the structured editor, see it in the diff, submit and approve', async () => {
    await page.goto(`${base}/plans/${key}/edit`)
    await page.getByRole('tab', { name: /处置步骤/ }).click()
    await page.click('[data-test=plan-add-step-verify]')
    const steps = page.locator('[data-test=plan-steps] input[name$=-title-zh]')
    await steps.last().fill('每月演练一次切换到第二云')
    await page.getByRole('tab', { name: 'YAML' }).click()
    const yaml = await page.locator('textarea[data-test=plan-yaml]').inputValue()
    if (!yaml.includes('每月演练一次切换到第二云')) throw new Error('the YAML tab does not show the new step')
    await page.click('[data-test=plan-save]')
    await page.waitForURL(/\/plans\?open=/)
    const diff = page.locator('[data-test=plan-diff]')
    await diff.locator('.line.add', { hasText: '每月演练一次切换到第二云' }).waitFor()
    await page.click(`[data-test=plan-approve-${key}]`)
    await page.locator('[data-test=plans] .el-table__row', { hasText: key }).filter({ hasText: '已批准' }).waitFor()
  })
}
