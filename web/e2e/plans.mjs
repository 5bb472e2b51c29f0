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

  await step('plans: the server checks the plan before saving; the error shows at its step and YAML line', async () => {
    await page.goto(`${base}/plans/${key}/edit`)
    await page.locator('input[name=title-zh]').waitFor()
    await page.getByRole('tab', { name: 'YAML' }).click()
    const area = page.locator('textarea[data-test=plan-yaml]')
    const yaml = await area.inputValue()
    const at = yaml.indexOf('role: commander', yaml.indexOf('\nsteps:'))
    if (at < 0) throw new Error('no step with role commander in the YAML')
    const line = yaml.slice(0, at).split('\n').length
    await area.fill(`${yaml.slice(0, at)}role: cook${yaml.slice(at + 'role: commander'.length)}`)
    await page.click('[data-test=plan-check]')
    const problem = page.locator('[data-test=plan-problem]')
    await problem.waitFor()
    const text = await problem.innerText()
    if (!text.includes('cook') || !text.includes(`第 ${line} 行`)) throw new Error(`the check said: ${text}`)
    // Saving checks first: nothing is imported while the error stands.
    await page.click('[data-test=plan-save]')
    await page.waitForTimeout(500)
    if (!page.url().includes('/edit')) throw new Error('a plan with an unknown role was saved')
    // In the form, the error is shown on the step itself.
    await page.getByRole('tab', { name: /处置步骤/ }).click()
    await page.click('[data-test=plan-check]')
    await page.locator('[data-test=plan-steps] [data-test=plan-problem-at]', { hasText: 'cook' }).waitFor()
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
