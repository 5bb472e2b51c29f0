import { describe, expect, it } from 'vitest'
import type { IncidentSummary } from '@/api/types'
import { filterQuery } from '@/api/incidents'
import { matchesFilter, upsertIncident } from './incidentList'

const incident = (number: number, over: Partial<IncidentSummary> = {}): IncidentSummary => ({
  id: `INC-2026-${String(number).padStart(4, '0')}`,
  number,
  title: `Incident ${number}`,
  severity: 'P2',
  status: 'declared',
  summary: '',
  services: ['jira'],
  declared_by: 'admin',
  declared_at: '2026-11-22T04:00:00Z',
  acknowledged_at: null,
  mitigating_at: null,
  recovered_at: null,
  verified_at: null,
  closed_at: null,
  updated_at: '2026-11-22T04:00:00Z',
  plan: null,
  merged_into: null,
  ...over,
})

describe('matchesFilter', () => {
  it('treats "open" as declared, acknowledged or mitigating, and any listed status', () => {
    expect(matchesFilter(incident(1, { status: 'mitigating' }), { status: ['open'] })).toBe(true)
    expect(matchesFilter(incident(1, { status: 'recovered' }), { status: ['open'] })).toBe(false)
    expect(matchesFilter(incident(1, { status: 'recovered' }), { status: ['open', 'recovered'] })).toBe(true)
    expect(matchesFilter(incident(1, { status: 'closed' }), { status: [] })).toBe(true)
  })
  it('checks any of the severities, and the service', () => {
    expect(matchesFilter(incident(1), { severity: ['P1'] })).toBe(false)
    expect(matchesFilter(incident(1), { severity: ['P1', 'P2'] })).toBe(true)
    expect(matchesFilter(incident(1), { service: 'jira', status: ['declared'] })).toBe(true)
    expect(matchesFilter(incident(1), { service: 'erp' })).toBe(false)
  })
  it('needs every word in the ID, the title or a service, as the server does', () => {
    expect(matchesFilter(incident(1, { title: 'Jira down' }), { q: 'JIRA D' })).toBe(true)
    expect(matchesFilter(incident(1), { q: 'inc-2026-0001' })).toBe(true)
    expect(matchesFilter(incident(1, { title: 'Jira down' }), { q: 'down jira' })).toBe(true)
    expect(matchesFilter(incident(1, { title: 'Jira down', services: ['erp'] }), { q: 'erp down' })).toBe(true)
    expect(matchesFilter(incident(1, { title: 'Jira down' }), { q: 'jira slow' })).toBe(false)
    expect(matchesFilter(incident(1, { title: '数据库 宕机' }), { q: '宕机\u3000数据库' })).toBe(true)
    expect(matchesFilter(incident(1), { q: '  ' })).toBe(true)
  })
})

describe('filterQuery', () => {
  it('joins lists with commas and leaves out what is empty', () => {
    expect(filterQuery({ status: ['open', 'recovered'], severity: ['P1', 'P2'], q: ' db ' })).toEqual({
      status: 'open,recovered',
      severity: 'P1,P2',
      service: undefined,
      q: 'db',
    })
    expect(filterQuery({ status: [], q: '' })).toEqual({ status: undefined, severity: undefined, service: undefined, q: undefined })
  })
})

describe('upsertIncident', () => {
  const items = [incident(5), incident(3), incident(1)]
  it('replaces a known row', () => {
    const next = upsertIncident(items, incident(3, { title: 'changed' }), {})
    expect(next.map((i) => i.title)).toEqual(['Incident 5', 'changed', 'Incident 1'])
  })
  it('inserts a new row by number', () => {
    expect(upsertIncident(items, incident(4), {}).map((i) => i.number)).toEqual([5, 4, 3, 1])
    expect(upsertIncident(items, incident(6), {}).map((i) => i.number)).toEqual([6, 5, 3, 1])
  })
  it('drops a row that leaves the filter, ignores one that never matched', () => {
    expect(upsertIncident(items, incident(3, { status: 'closed' }), { status: ['open'] }).map((i) => i.number)).toEqual([5, 1])
    expect(upsertIncident(items, incident(9, { severity: 'P4' }), { severity: ['P1'] })).toBe(items)
  })
})
