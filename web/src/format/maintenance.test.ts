import { describe, expect, it } from 'vitest'
import type { MaintenanceWindow } from '@/api/watch'
import { endAfter, sortWindows, windowProblems, windowRequest, windowState } from './maintenance'

const NOW = Date.parse('2026-11-22T10:00:00Z')
let nextId = 1
const win = (starts_at: string, ends_at: string, service = 'jira'): MaintenanceWindow => ({
  id: nextId++,
  service,
  starts_at,
  ends_at,
  reason: 'upgrade',
  created_by: 'admin',
  active: false,
})

describe('maintenance window state', () => {
  it('is planned before its start, active until its end, ended after', () => {
    expect(windowState(win('2026-11-22T11:00:00Z', '2026-11-22T12:00:00Z'), NOW)).toBe('planned')
    expect(windowState(win('2026-11-22T09:00:00Z', '2026-11-22T12:00:00Z'), NOW)).toBe('active')
    expect(windowState(win('2026-11-22T10:00:00Z', '2026-11-22T12:00:00Z'), NOW)).toBe('active')
    expect(windowState(win('2026-11-22T08:00:00Z', '2026-11-22T10:00:00Z'), NOW)).toBe('ended')
  })
  it('is ended when a planned window was ended before it began (its end before its start)', () => {
    expect(windowState(win('2026-11-22T11:00:00Z', '2026-11-22T09:30:00Z'), NOW)).toBe('ended')
  })
  it('lists active, then planned, then ended', () => {
    const ended = win('2026-11-21T08:00:00Z', '2026-11-21T09:00:00Z')
    const endedLater = win('2026-11-22T08:00:00Z', '2026-11-22T09:00:00Z')
    const planned = win('2026-11-23T08:00:00Z', '2026-11-23T09:00:00Z')
    const plannedSooner = win('2026-11-22T12:00:00Z', '2026-11-22T13:00:00Z')
    const active = win('2026-11-22T09:00:00Z', '2026-11-22T18:00:00Z')
    const activeEndingSooner = win('2026-11-22T09:00:00Z', '2026-11-22T11:00:00Z')
    expect(sortWindows([ended, planned, active, endedLater, plannedSooner, activeEndingSooner], NOW)).toEqual([
      activeEndingSooner,
      active,
      plannedSooner,
      planned,
      endedLater,
      ended,
    ])
  })
})

describe('maintenance window form', () => {
  const form = { service: 'jira', startsAt: null, endsAt: new Date(NOW + 3_600_000), reason: '升级 Jira' }
  it('accepts a window from now with an end and a reason', () => {
    expect(windowProblems(form, NOW)).toEqual([])
  })
  it('names every missing or wrong field', () => {
    expect(windowProblems({ service: ' ', startsAt: null, endsAt: null, reason: '' }, NOW)).toEqual([
      'watch.maintenance.needService',
      'watch.maintenance.needEnd',
      'watch.maintenance.needReason',
    ])
    expect(windowProblems({ ...form, startsAt: new Date(NOW + 7_200_000) }, NOW)).toEqual(['watch.maintenance.endBeforeStart'])
    expect(windowProblems({ ...form, startsAt: new Date(NOW - 7_200_000), endsAt: new Date(NOW - 60_000) }, NOW)).toEqual(['watch.maintenance.endInPast'])
  })
  it('sends RFC 3339 times in UTC and leaves the start to the server when it is now', () => {
    expect(windowRequest({ ...form, service: ' jira ', reason: ' 升级 Jira ' })).toEqual({ service: 'jira', ends_at: '2026-11-22T11:00:00Z', reason: '升级 Jira' })
    expect(windowRequest({ ...form, startsAt: new Date(NOW + 60_000), endsAt: new Date(NOW + 120_500) })).toEqual({
      service: 'jira',
      starts_at: '2026-11-22T10:01:00Z',
      ends_at: '2026-11-22T10:02:00Z',
      reason: '升级 Jira',
    })
  })
  it('offers ends counted from the start, or from now', () => {
    expect(endAfter(null, 2, NOW).toISOString()).toBe('2026-11-22T12:00:00.000Z')
    expect(endAfter(new Date(NOW + 3_600_000), 4, NOW).toISOString()).toBe('2026-11-22T15:00:00.000Z')
  })
})
