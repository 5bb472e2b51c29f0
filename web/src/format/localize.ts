import type { Language, Localized } from '@/api/types'

/** A plan text in `language`, falling back to the other language. */
export function localize(text: Localized | null | undefined, language: Language): string {
  if (!text) return ''
  return (language === 'zh-CN' ? text['zh-CN'] || text.en : text.en || text['zh-CN']) ?? ''
}
