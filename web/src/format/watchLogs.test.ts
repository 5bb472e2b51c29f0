import { describe, expect, it } from 'vitest'
import type { Alert, LogRule, LogSource, LogState } from '@/api/watch'
import { firingByRule, firingKeys, formatBytes, ruleCondition, sourceCondition, sourceDrops, summarizeLogs } from './watchLogs'

const source = (name: string, stats: Partial<LogSource['stats']> = {}): LogSource => ({
  name,
  type: 'file',
  target: `/var/log/${name}.log`,
  stats: { lines: 0, bytes: 0, truncated: 0, invalid_utf8: 0, malformed: 0, last_error: '', ...stats },
})

const rule = (name: string, extra: Partial<LogRule> = {}): LogRule => ({ name, matched: 0, ignored: 0, alerts: 0, keys_evicted: 0, ...extra })

const alert = (labels: Record<string, string>, generatorURL = '/watch/logs'): Alert => ({
  labels,
  annotations: {},
  startsAt: '2026-11-22T08:00:00Z',
  endsAt: '2026-11-22T09:00:00Z',
  fingerprint: JSON.stringify(labels),
  generatorURL,
  status: { state: 'active', silencedBy: [], inhibitedBy: [] },
})

describe('log sources', () => {
  it('counts every cut, repaired or dropped line and refused connection', () => {
    expect(sourceDrops(source('auth', { truncated: 1, invalid_utf8: 2, malformed: 3, rejected_connections: 4 }))).toBe(10)
    expect(sourceDrops(source('auth', { lines: 99 }))).toBe(0)
  })
  it('is an error with a last error, a warning with drops, else fine', () => {
    expect(sourceCondition(source('a', { last_error: 'permission denied', truncated: 1 }))).toBe('err')
    expect(sourceCondition(source('a', { malformed: 1 }))).toBe('warn')
    expect(sourceCondition(source('a', { lines: 5 }))).toBe('ok')
  })
  it('writes sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB')
  })
})

describe('log rules', () => {
  const duration = (ms: number) => `${ms / 1000}s`
  it('says when each kind of rule fires', () => {
    expect(ruleCondition(rule('ssh', { kind: 'threshold', threshold: { count: 5, within_seconds: 60, by: 'HOST' } }), duration)).toEqual({
      key: 'watch.logs.condThreshold',
      values: { count: 5, within: '60s', by: 'HOST' },
    })
    expect(ruleCondition(rule('spike', { kind: 'rate', rate: { factor: 5, per_seconds: 60, baseline_seconds: 3600, min_count: 10 } }), duration)).toEqual({
      key: 'watch.logs.condRate',
      values: { factor: 5, per: '60s', baseline: '3600s', min: 10 },
    })
    expect(ruleCondition(rule('panic', { kind: 'match' }), duration).key).toBe('watch.logs.condMatch')
  })
  it('finds the firing alerts of each log rule, not the same name from elsewhere', () => {
    const alerts = [
      alert({ alertname: 'ssh', host: '203.0.113.7' }),
      alert({ alertname: 'ssh', host: '198.51.100.2' }),
      alert({ alertname: 'ssh', host: '192.0.2.1' }, 'http://prometheus:9090/graph'),
      alert({ alertname: 'panic' }, 'https://failsafe.example.com/watch/logs'),
      alert({ severity: 'P3' }),
    ]
    const byRule = firingByRule(alerts)
    expect(byRule.get('ssh')).toHaveLength(2)
    expect(byRule.get('panic')).toHaveLength(1)
    expect([...byRule.keys()].sort()).toEqual(['panic', 'ssh'])
    const ssh = rule('ssh', { threshold: { count: 5, within_seconds: 60, by: 'HOST' } })
    expect(firingKeys(ssh, byRule.get('ssh') ?? [])).toEqual(['198.51.100.2', '203.0.113.7'])
    expect(firingKeys(rule('panic'), byRule.get('panic') ?? [])).toEqual([])
  })
  it('sums the page into one line', () => {
    const state: LogState = {
      sources: [source('auth', { malformed: 2 }), source('app', { truncated: 1 })],
      rules: [rule('ssh', { matched: 7, alerts: 1 }), rule('panic', { matched: 1, alerts: 1 })],
      lines: 120,
      dropped: { truncated: 1, binary: 0, no_time: 3, scan_errors: 0, limit_hits: 0 },
    }
    expect(summarizeLogs(state)).toEqual({ sources: 2, rules: 2, lines: 120, matched: 8, alerts: 2, dropped: 4 })
    expect(summarizeLogs({ sources: [], rules: [], lines: 0 }).dropped).toBe(0)
  })
})
