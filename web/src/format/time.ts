// Dates and durations as people read them: in the browser's time zone and the console's language.

export type UiLocale = 'zh-CN' | 'en'

// Building an Intl.DateTimeFormat costs far more than using one: keep one per kind, language and
// time zone (lists format thousands of dates).
const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(kind: 'dateTime' | 'time', locale: UiLocale, timeZone: string | undefined) {
  const key = `${kind}|${locale}|${timeZone ?? ''}`
  let f = formatters.get(key)
  if (!f) {
    const fields: Intl.DateTimeFormatOptions =
      kind === 'dateTime'
        ? { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }
        : { hour: '2-digit', minute: '2-digit', second: '2-digit' }
    f = new Intl.DateTimeFormat(locale, { ...fields, hour12: false, timeZone })
    formatters.set(key, f)
  }
  return f
}

/** A date and time in the given (default: the browser's) time zone, e.g. "2026/11/22 11:59". */
export function formatDateTime(iso: string | null | undefined, locale: UiLocale, timeZone?: string): string {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return formatter('dateTime', locale, timeZone).format(date)
}

/** Only the time of day ("11:59:02"), for timelines within one incident. */
export function formatTime(iso: string, locale: UiLocale, timeZone?: string): string {
  return formatter('time', locale, timeZone).format(new Date(iso))
}

const UNITS: Record<UiLocale, { d: string; h: string; m: string; s: string; sep: string }> = {
  en: { d: 'd', h: 'h', m: 'm', s: 's', sep: ' ' },
  'zh-CN': { d: '天', h: '小时', m: '分', s: '秒', sep: '' },
}

/** A duration in its two largest units: "4h 30m", "2d 3h", "45s"; "4小时30分" in Chinese. */
export function formatDuration(ms: number | null | undefined, locale: UiLocale): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  const u = UNITS[locale]
  const sign = ms < 0 ? '-' : ''
  // Under a second (a small backup, a drill of a test service): tenths, not a bare "0s".
  if (ms !== 0 && Math.abs(ms) < 1000) return `${sign}${Math.max(0.1, Math.round(Math.abs(ms) / 100) / 10)}${u.s}`
  let rest = Math.floor(Math.abs(ms) / 1000)
  const parts: [number, string][] = [
    [Math.floor(rest / 86400), u.d],
    [Math.floor((rest %= 86400) / 3600), u.h],
    [Math.floor((rest %= 3600) / 60), u.m],
    [rest % 60, u.s],
  ]
  const first = parts.findIndex(([n]) => n > 0)
  if (first === -1) return `0${u.s}`
  const shown = parts.slice(first, first + 2).filter(([n]) => n > 0)
  return sign + shown.map(([n, unit]) => `${n}${unit}`).join(u.sep)
}

/** Milliseconds from `iso` to `now` (positive for the past). */
export function ageMs(iso: string, now: number = Date.now()): number {
  return now - new Date(iso).getTime()
}
