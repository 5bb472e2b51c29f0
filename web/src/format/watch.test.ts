import { describe, expect, it } from 'vitest'
import type { Alert, RuleGroup, Silence } from '@/api/watch'
import {
  alertSummary,
  certTone,
  filterAlerts,
  groupCondition,
  labelValues,
  matcherText,
  matchersFromLabels,
  matrixToSeries,
  probeQuery,
  rangeWindow,
  silenceProblems,
  silenceState,
  sortSilences,
  summarizeRules,
} from './watch'

const alert = (labels: Record<string, string>, state: 'active' | 'suppressed' = 'active', startsAt = '2026-11-22T08:00:00Z'): Alert => ({
  labels,
  annotations: {},
  startsAt,
  endsAt: '2026-11-22T09:00:00Z',
  fingerprint: JSON.stringify(labels),
  status: { state, silencedBy: [], inhibitedBy: [] },
})

describe('alerts', () => {
  const alerts = [
    alert({ alertname: 'ProbeFailed', service: 'jira', severity: 'P1' }),
    alert({ alertname: 'DiskFull', service: 'erp', severity: 'P3' }, 'suppressed'),
    alert({ alertname: 'Slow', service: 'jira', severity: 'P3' }),
  ]
  it('filters by state, severity and service together', () => {
    expect(filterAlerts(alerts, { state: '', severity: '', service: '' })).toHaveLength(3)
    expect(filterAlerts(alerts, { state: 'suppressed', severity: '', service: '' }).map((a) => a.labels.alertname)).toEqual(['DiskFull'])
    expect(filterAlerts(alerts, { state: 'active', severity: 'P3', service: 'jira' }).map((a) => a.labels.alertname)).toEqual(['Slow'])
  })
  it('offers each label value once, sorted', () => {
    expect(labelValues(alerts, 'service')).toEqual(['erp', 'jira'])
    expect(labelValues(alerts, 'missing')).toEqual([])
  })
  it('shows summary_zh in Chinese and summary otherwise', () => {
    const ann = { summary: 'Jira is down', summary_zh: 'Jira 不可用' }
    expect(alertSummary(ann, 'zh-CN')).toBe('Jira 不可用')
    expect(alertSummary(ann, 'en')).toBe('Jira is down')
    expect(alertSummary({ summary: 'only English' }, 'zh-CN')).toBe('only English')
    expect(alertSummary({ summary_zh: '只有中文' }, 'en')).toBe('只有中文')
    expect(alertSummary(undefined, 'en')).toBe('')
  })
})

describe('silences', () => {
  it('builds equality matchers from labels, alertname first, without instance-like labels', () => {
    const labels = { service: 'jira', alertname: 'ProbeFailed', instance: 'h1:9100', severity: 'P1', empty: '' }
    expect(matchersFromLabels(labels)).toEqual([
      { name: 'alertname', value: 'ProbeFailed', isRegex: false, isEqual: true },
      { name: 'service', value: 'jira', isRegex: false, isEqual: true },
      { name: 'severity', value: 'P1', isRegex: false, isEqual: true },
    ])
    expect(matchersFromLabels(labels, { all: true }).map((m) => m.name)).toEqual(['alertname', 'instance', 'service', 'severity'])
  })
  it('writes matchers as amtool does', () => {
    expect(matcherText({ name: 'a', value: 'x', isRegex: false, isEqual: true })).toBe('a="x"')
    expect(matcherText({ name: 'a', value: 'x|y', isRegex: true })).toBe('a=~"x|y"')
    expect(matcherText({ name: 'a', value: 'x', isRegex: false, isEqual: false })).toBe('a!="x"')
    expect(matcherText({ name: 'a', value: 'x.*', isRegex: true, isEqual: false })).toBe('a!~"x.*"')
  })
  it('refuses a form that would silence everything or lacks duration or comment', () => {
    const m = [{ name: 'service', value: 'jira', isRegex: false, isEqual: true }]
    expect(silenceProblems(m, 120, 'upgrade')).toEqual([])
    expect(silenceProblems([], 120, 'x')).toEqual(['watch.silence.needMatcher'])
    expect(silenceProblems([{ name: 'service', value: '.*', isRegex: true }], 120, 'x')).toEqual(['watch.silence.matchesAll'])
    expect(silenceProblems(m, 0, ' ')).toEqual(['watch.silence.needDuration', 'watch.silence.needComment'])
  })
  it('knows pending, active and expired from the times', () => {
    const now = Date.parse('2026-11-22T08:00:00Z')
    const s = (startsAt: string, endsAt: string) => ({ startsAt, endsAt })
    expect(silenceState(s('2026-11-22T07:00:00Z', '2026-11-22T09:00:00Z'), now)).toBe('active')
    expect(silenceState(s('2026-11-22T08:30:00Z', '2026-11-22T09:00:00Z'), now)).toBe('pending')
    expect(silenceState(s('2026-11-22T07:00:00Z', '2026-11-22T08:00:00Z'), now)).toBe('expired')
  })
  it('lists active, then pending, then expired', () => {
    const now = Date.parse('2026-11-22T08:00:00Z')
    const s = (id: string, startsAt: string, endsAt: string): Silence => ({
      id, startsAt, endsAt, matchers: [], createdBy: 'a', comment: '', status: { state: 'active' },
    })
    const list = [
      s('old', '2026-11-22T05:00:00Z', '2026-11-22T06:00:00Z'),
      s('later', '2026-11-22T09:00:00Z', '2026-11-22T10:00:00Z'),
      s('long', '2026-11-22T07:00:00Z', '2026-11-23T07:00:00Z'),
      s('short', '2026-11-22T07:00:00Z', '2026-11-22T08:10:00Z'),
      s('recent', '2026-11-22T05:00:00Z', '2026-11-22T07:00:00Z'),
    ]
    expect(sortSilences(list, now).map((x) => x.id)).toEqual(['short', 'long', 'later', 'recent', 'old'])
  })
})

describe('rules', () => {
  const rule = (health: 'ok' | 'err' | 'unknown', states: string[] = []) => ({
    name: 'r', type: 'alerting' as const, expr: 'up == 0', source: '', for_seconds: 0, health, last_error: '',
    last_evaluation: '', evaluation_seconds: 0,
    alerts: states.map((state) => ({ labels: {}, annotations: {}, state, value: 1, active_at: '' })),
  })
  const groups: RuleGroup[] = [
    { name: 'a', interval_seconds: 15, rules: [rule('ok', ['firing', 'pending']), rule('err')] },
    { name: 'b', interval_seconds: 15, rules: [rule('unknown'), rule('ok', ['pending'])] },
    { name: 'c', interval_seconds: 15, rules: [rule('ok')] },
  ]
  it('counts rules by health and alerts by state', () => {
    expect(summarizeRules(groups)).toEqual({ rules: 5, ok: 3, err: 1, unknown: 1, firing: 1, pending: 2 })
    expect(summarizeRules([])).toEqual({ rules: 0, ok: 0, err: 0, unknown: 0, firing: 0, pending: 0 })
  })
  it("gives a group its worst condition", () => {
    expect(groups.map(groupCondition)).toEqual(['err', 'pending', 'ok'])
    expect(groupCondition({ name: 'd', interval_seconds: 1, rules: [rule('ok', ['pending', 'firing'])] })).toBe('firing')
  })
})

describe('charts', () => {
  it('turns a matrix into series in milliseconds, with gaps for NaN', () => {
    const series = matrixToSeries(
      {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            { metric: { __name__: 'probe_success', probe: 'jira-http', service: 'jira' }, values: [[1700000000, '1'], [1700000015.5, 'NaN']] },
            { metric: { instance: 'h:9100' }, values: [[1700000000, '+Inf']] },
            { metric: {}, values: [[1700000000, '0.25']] },
          ],
        },
      },
      'probe',
      'cpu',
    )
    expect(series).toEqual([
      { name: 'jira-http', points: [[1700000000000, 1], [1700000015500, null]] },
      { name: '{instance="h:9100"}', points: [[1700000000000, null]] },
      { name: 'cpu', points: [[1700000000000, 0.25]] },
    ])
  })
  it('reads nothing from an answer that is not a matrix', () => {
    expect(matrixToSeries({ status: 'success', data: { resultType: 'vector', result: [] } })).toEqual([])
  })
  it('picks a step for about 120 points', () => {
    expect(rangeWindow(Date.parse('2026-11-22T08:00:00Z'), 3600)).toEqual({ start: 1795334400 - 3600, end: 1795334400, step: 30 })
  })
  it('colours certificate days', () => {
    expect([certTone(undefined), certTone(3), certTone(20), certTone(90)]).toEqual(['info', 'danger', 'warning', 'success'])
  })
})

describe('queries', () => {
  it('narrows probe metrics to a service, escaping its name', () => {
    expect(probeQuery('probe_success', '')).toBe('probe_success')
    expect(probeQuery('probe_duration_seconds', 'jira')).toBe('probe_duration_seconds{service="jira"}')
    expect(probeQuery('probe_success', 'a"b\\c')).toBe('probe_success{service="a\\"b\\\\c"}')
  })
})
