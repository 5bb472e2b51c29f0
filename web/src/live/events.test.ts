import { afterEach, describe, expect, it, vi } from 'vitest'
import { parseIncidentEvent, subscribe, subscribeNamed, type LiveEvent } from './events'

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

// Enough of EventSource to drive the shared stream: records listeners, fires named events.
class FakeSource {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSED = 2
  static opened: FakeSource[] = []
  readyState = 0
  closed = false
  private handlers = new Map<string, ((e: { data: string }) => void)[]>()
  constructor(readonly url: string) {
    FakeSource.opened.push(this)
  }
  addEventListener(name: string, handler: (e: { data: string }) => void) {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), handler])
  }
  close() {
    this.closed = true
    this.readyState = FakeSource.CLOSED
  }
  fire(name: string, data = '') {
    for (const h of this.handlers.get(name) ?? []) h({ data })
  }
}

describe('named events on the shared stream', () => {
  afterEach(() => vi.unstubAllGlobals())
  it('go only to their own listeners, on one connection that closes when nobody listens', () => {
    vi.stubGlobal('EventSource', FakeSource)
    const progress: string[] = []
    const incidents: LiveEvent[] = []
    const stopProgress = subscribeNamed('backup.progress', (d) => progress.push(d))
    const stopIncidents = subscribe((e) => incidents.push(e))
    const stopFinished = subscribeNamed('backup.run.finished', (d) => progress.push(`finished ${d}`))
    expect(FakeSource.opened).toHaveLength(1)
    const es = FakeSource.opened[0]!
    expect(es.url).toBe('/api/v1/events')

    es.fire('backup.progress', '{"policy":"erp-db"}')
    es.fire('backup.run.finished', '{"policy":"erp-db"}')
    es.fire('incident', '{"id":"INC-1","change":"updated","at":""}')
    expect(progress).toEqual(['{"policy":"erp-db"}', 'finished {"policy":"erp-db"}'])
    expect(incidents).toEqual([{ kind: 'incident', id: 'INC-1', change: 'updated', at: '' }])

    stopProgress()
    es.fire('backup.progress', 'late')
    expect(progress).toHaveLength(2)
    stopIncidents()
    expect(es.closed).toBe(false) // a named listener still listens
    stopFinished()
    expect(es.closed).toBe(true)
  })
})
