// Element Plus interactions for Playwright: its dropdowns are teleported to <body>.

/**
 * Opens the el-select inside `trigger` and picks the visible option containing `text`. A
 * multiple select stays open after a pick: `multiple` closes it with a click outside.
 */
export async function choose(page, trigger, text, { multiple = false } = {}) {
  const wrapper = trigger.locator('.el-select__wrapper').first()
  await wrapper.click()
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
  await option.click()
  if (multiple) await page.mouse.click(1, 1)
  await option.waitFor({ state: 'hidden' })
}

export async function login(page, base, username, password) {
  await page.goto(`${base}/login`)
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', password)
  await page.click('[data-test=login-submit]')
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
}

/** Clicks the primary button of the open message box (confirm / prompt). */
export async function confirmBox(page) {
  await page.locator('.el-message-box__btns .el-button--primary:visible').click()
}
