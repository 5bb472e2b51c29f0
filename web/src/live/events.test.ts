import { describe, expect, it } from 'vitest'
import { parseIncidentEvent } from './events'

describe('parseIncidentEvent', () => {
  it('reads the contract', () => {
    expect(parseIncidentEvent('{"id":"INC-2026-0001","change":"created","at":"2026-11-22T04:00:00Z"}')).toEqual({
      kind: 'incident',
      id: 'INC-2026-0001',
      change: 'created',
      at: '2026-11-22T04:00:00Z',
    })
  })
  it('drops what it cannot read', () => {
    expect(parseIncidentEvent('not json')).toBeNull()
    expect(parseIncidentEvent('{"id":1,"change":"updated"}')).toBeNull()
    expect(parseIncidentEvent('{"id":"INC-1","change":"deleted"}')).toBeNull()
  })
})
