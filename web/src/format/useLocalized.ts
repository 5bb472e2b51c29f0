import { useI18n } from 'vue-i18n'
import type { Language, Localized } from '@/api/types'
import { localize } from './localize'

/** Picks a plan text in the console's language, falling back to the other one. */
export function useLocalized() {
  const { locale } = useI18n()
  return (text: Localized | null | undefined): string => localize(text, locale.value as Language)
}
