// The console's two languages. The choice comes from localStorage, else from the browser, and is
// kept when the user switches.
import { createI18n } from 'vue-i18n'
import en from './locales/en'
import zhCN from './locales/zh-CN'
import type { UiLocale } from './format/time'
import { pickLocale } from './locale-pick'

export const LOCALES: readonly UiLocale[] = ['zh-CN', 'en']
const STORAGE_KEY = 'failsafe.locale'

export const i18n = createI18n({
  legacy: false,
  locale: pickLocale(localStorage.getItem(STORAGE_KEY), navigator.languages ?? [navigator.language]),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
})

export function currentLocale(): UiLocale {
  return i18n.global.locale.value as UiLocale
}

export function setLocale(locale: UiLocale): void {
  i18n.global.locale.value = locale
  localStorage.setItem(STORAGE_KEY, locale)
  document.documentElement.lang = locale
}
