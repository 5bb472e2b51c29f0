import { describe, expect, it } from 'vitest'
import type { IncidentSummary } from '@/api/types'
import { matchesFilter, searchIncidents, upsertIncident } from './incidentList'

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
  it('treats "open" as declared, acknowledged or mitigating', () => {
    expect(matchesFilter(incident(1, { status: 'mitigating' }), { status: 'open' })).toBe(true)
    expect(matchesFilter(incident(1, { status: 'recovered' }), { status: 'open' })).toBe(false)
  })
  it('checks severity and service', () => {
    expect(matchesFilter(incident(1), { severity: 'P1' })).toBe(false)
    expect(matchesFilter(incident(1), { service: 'jira', status: 'declared' })).toBe(true)
    expect(matchesFilter(incident(1), { service: 'erp' })).toBe(false)
  })
})

describe('searchIncidents', () => {
  const items = [incident(1, { title: 'Jira down' }), incident(2, { title: 'ERP slow', services: ['erp'] })]
  it('matches every word in ID, title or services', () => {
    expect(searchIncidents(items, 'jira DOWN').map((i) => i.number)).toEqual([1])
    expect(searchIncidents(items, 'inc-2026-0002').map((i) => i.number)).toEqual([2])
    expect(searchIncidents(items, '  ')).toBe(items)
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
    expect(upsertIncident(items, incident(3, { status: 'closed' }), { status: 'open' }).map((i) => i.number)).toEqual([5, 1])
    expect(upsertIncident(items, incident(9, { severity: 'P4' }), { severity: 'P1' })).toBe(items)
  })
})
