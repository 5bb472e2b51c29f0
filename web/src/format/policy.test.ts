import { describe, expect, it } from 'vitest'
import { parseDuration, policySpanMs, targetLabel } from './policy'

describe('parseDuration', () => {
  it('reads the server duration forms', () => {
    expect(parseDuration('45s')).toBe(45_000)
    expect(parseDuration('1h30m')).toBe(5_400_000)
    expect(parseDuration(' 2d ')).toBe(172_800_000)
    expect(parseDuration('0m')).toBe(0)
  })
  it('refuses anything else', () => {
    expect(parseDuration('')).toBeNull()
    expect(parseDuration('5 min')).toBeNull()
    expect(parseDuration('1.5h')).toBeNull()
  })
})

describe('policies', () => {
  it('adds the levels’ delays (each waits after the previous one)', () => {
    const policy = { key: 'p', name: 'P', repeat: 1, levels: [{ delay: '0m', targets: [] }, { delay: '5m', targets: [] }, { delay: '10m', targets: [] }] }
    expect(policySpanMs(policy, parseDuration)).toBe(900_000)
  })
  it('labels targets by name when known', () => {
    const names = { person: { lilei: '李雷' } }
    expect(targetLabel({ type: 'person', key: 'lilei' }, names)).toBe('李雷')
    expect(targetLabel({ type: 'team', key: 'ops' }, names)).toBe('ops')
    expect(targetLabel({ type: 'role', role: 'commander' }, names)).toBe('commander')
  })
})
