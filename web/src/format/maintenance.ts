// Maintenance windows (维护窗口): a window's state at a time, the list's order, and the form's
// checks and request.
import type { MaintenanceWindow, NewMaintenanceWindow } from '@/api/watch'

export type WindowState = 'planned' | 'active' | 'ended'

/**
 * The state at `nowMs`. A planned window ended early has its end before its start: ended.
 * (The server's `active` says the same for the moment it answered.)
 */
export function windowState(w: Pick<MaintenanceWindow, 'starts_at' | 'ends_at'>, nowMs: number): WindowState {
  const start = Date.parse(w.starts_at)
  const end = Date.parse(w.ends_at)
  if (end <= nowMs || end <= start) return 'ended'
  return start > nowMs ? 'planned' : 'active'
}

const ORDER: Record<WindowState, number> = { active: 0, planned: 1, ended: 2 }

/** Active first (ending soonest first), then planned (starting soonest), then ended (latest first). */
export function sortWindows(list: readonly MaintenanceWindow[], nowMs: number): MaintenanceWindow[] {
  return [...list].sort((a, b) => {
    const sa = windowState(a, nowMs)
    const sb = windowState(b, nowMs)
    if (sa !== sb) return ORDER[sa] - ORDER[sb]
    if (sa === 'active') return Date.parse(a.ends_at) - Date.parse(b.ends_at)
    if (sa === 'planned') return Date.parse(a.starts_at) - Date.parse(b.starts_at)
    return Date.parse(b.ends_at) - Date.parse(a.ends_at) || b.id - a.id
  })
}

export interface WindowForm {
  service: string
  /** Empty: now. */
  startsAt: Date | null
  endsAt: Date | null
  reason: string
}

/** Problems with the form as message keys; none means it can be sent. */
export function windowProblems(f: WindowForm, nowMs: number): string[] {
  const out: string[] = []
  if (!f.service.trim()) out.push('watch.maintenance.needService')
  const start = f.startsAt ? f.startsAt.getTime() : nowMs
  if (!f.endsAt) out.push('watch.maintenance.needEnd')
  else if (f.endsAt.getTime() <= start) out.push('watch.maintenance.endBeforeStart')
  else if (f.endsAt.getTime() <= nowMs) out.push('watch.maintenance.endInPast')
  if (!f.reason.trim()) out.push('watch.maintenance.needReason')
  return out
}

/** The request body: RFC 3339 times (UTC), no start when it is "now" (the server takes its own). */
export function windowRequest(f: WindowForm): NewMaintenanceWindow {
  const body: NewMaintenanceWindow = {
    service: f.service.trim(),
    ends_at: (f.endsAt as Date).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    reason: f.reason.trim(),
  }
  if (f.startsAt) body.starts_at = f.startsAt.toISOString().replace(/\.\d{3}Z$/, 'Z')
  return body
}

/** The end `hours` after the start (or now): the form's quick choices. */
export function endAfter(startsAt: Date | null, hours: number, nowMs: number): Date {
  return new Date((startsAt ? startsAt.getTime() : nowMs) + hours * 3_600_000)
}
