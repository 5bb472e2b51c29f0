import { describe, expect, it } from 'vitest'
import { linkedIncidents } from './links'

describe('linkedIncidents', () => {
  it('collects the refs of link and merge entries, once each', () => {
    const at = '2026-11-22T04:00:00Z'
    const timeline = [
      { at, actor: 'a', kind: 'linked', text: 'Related to INC-2026-0002' },
      { at, actor: 'a', kind: 'note', text: 'see INC-2026-0009' },
      { at, actor: 'a', kind: 'merged', text: 'Merged INC-2026-0003 into INC-2026-0001' },
      { at, actor: 'a', kind: 'linked', text: 'Related to INC-2026-0002' },
    ]
    expect(linkedIncidents(timeline, 'INC-2026-0001')).toEqual(['INC-2026-0002', 'INC-2026-0003'])
  })
})
