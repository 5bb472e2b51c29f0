// The on-call timeline: shifts placed on a window of days as percentages, and the day marks.
import type { Shift } from '@/api/types'

export interface ShiftBar {
  shift: Shift
  /** Position and width in % of the window. */
  left: number
  width: number
  override: boolean
}

/** Shifts clipped to [from, from + days) as bars; shifts outside the window are left out. */
export function shiftBars(shifts: readonly Shift[], from: Date, days: number): ShiftBar[] {
  const start = from.getTime()
  const span = days * 86_400_000
  const end = start + span
  const bars: ShiftBar[] = []
  for (const shift of shifts) {
    const s = Math.max(Date.parse(shift.start), start)
    const e = Math.min(Date.parse(shift.end), end)
    if (!(e > s)) continue
    bars.push({ shift, left: ((s - start) / span) * 100, width: ((e - s) / span) * 100, override: shift.override_id !== null })
  }
  return bars
}

/** Midnight (in the browser's time zone) of each day in the window, with its position in %. */
export function dayMarks(from: Date, days: number): { date: Date; left: number }[] {
  const start = from.getTime()
  const span = days * 86_400_000
  const marks: { date: Date; left: number }[] = []
  const d = new Date(from)
  d.setHours(0, 0, 0, 0)
  if (d.getTime() < start) d.setDate(d.getDate() + 1)
  while (d.getTime() < start + span) {
    marks.push({ date: new Date(d), left: ((d.getTime() - start) / span) * 100 })
    d.setDate(d.getDate() + 1)
  }
  return marks
}

/** A stable colour per person handle (the same person has the same colour everywhere). */
export function personColor(handle: string | null): string {
  if (!handle) return '#cbd5e1'
  const palette = ['#2563eb', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#dc2626']
  let h = 0
  for (const ch of handle) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  return palette[h % palette.length]!
}
