import { useI18n } from 'vue-i18n'
import { formatDateTime, formatDuration, formatTime, type UiLocale } from './time'

/** The formatters bound to the console's current language (and the browser's time zone). */
export function useFormat() {
  const { locale } = useI18n()
  const current = () => locale.value as UiLocale
  return {
    dateTime: (iso: string | null | undefined) => formatDateTime(iso, current()),
    time: (iso: string) => formatTime(iso, current()),
    duration: (ms: number | null | undefined) => formatDuration(ms, current()),
    locale: current,
  }
}
