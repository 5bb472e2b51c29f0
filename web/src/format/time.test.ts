import { describe, expect, it } from 'vitest'
import { ageMs, formatDateTime, formatDuration, formatTime } from './time'

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(4 * 3600_000 + 30 * 60_000 + 5_000, 'en')).toBe('4h 30m')
    expect(formatDuration(2 * 86400_000 + 3 * 3600_000, 'en')).toBe('2d 3h')
    expect(formatDuration(45_000, 'en')).toBe('45s')
  })
  it('skips a zero second unit', () => {
    expect(formatDuration(3600_000 + 20_000, 'en')).toBe('1h')
  })
  it('speaks Chinese', () => {
    expect(formatDuration(4 * 3600_000 + 30 * 60_000, 'zh-CN')).toBe('4小时30分')
  })
  it('handles zero, negatives and missing values', () => {
    expect(formatDuration(0, 'en')).toBe('0s')
    expect(formatDuration(420, 'en')).toBe('0.4s')
    expect(formatDuration(30, 'zh-CN')).toBe('0.1秒')
    expect(formatDuration(-950, 'en')).toBe('-1s')
    expect(formatDuration(-90_000, 'en')).toBe('-1m 30s')
    expect(formatDuration(null, 'en')).toBe('—')
  })
})

describe('formatDateTime', () => {
  const iso = '2026-11-22T03:59:32.180Z'
  it('uses the given time zone', () => {
    expect(formatDateTime(iso, 'en', 'Asia/Shanghai')).toBe('11/22/2026, 11:59')
    expect(formatDateTime(iso, 'zh-CN', 'Asia/Shanghai')).toBe('2026/11/22 11:59')
    expect(formatDateTime(iso, 'en', 'UTC')).toBe('11/22/2026, 03:59')
  })
  it('shows a dash for no date and the text for a bad one', () => {
    expect(formatDateTime(null, 'en')).toBe('—')
    expect(formatDateTime('soon', 'en')).toBe('soon')
  })
  it('formats a time of day', () => {
    expect(formatTime(iso, 'en', 'Asia/Shanghai')).toBe('11:59:32')
  })
})

describe('ageMs', () => {
  it('counts from the past to now', () => {
    expect(ageMs('2026-11-22T03:00:00Z', Date.parse('2026-11-22T04:00:00Z'))).toBe(3600_000)
  })
})
