import type { UiLocale } from './format/time'

/** The saved choice if valid, else Chinese for any zh-* browser language, else English. */
export function pickLocale(saved: string | null, browserLanguages: readonly string[]): UiLocale {
  if (saved === 'zh-CN' || saved === 'en') return saved
  for (const lang of browserLanguages) {
    const lower = lang.toLowerCase()
    if (lower.startsWith('zh')) return 'zh-CN'
    if (lower.startsWith('en')) return 'en'
  }
  return 'en'
}
