import { describe, expect, it } from 'vitest'
import type { Postmortem } from '@/api/types'
import { formFrom, nextStatus, patchFrom, toLines } from './postmortem'

const postmortem = {
  title: 'Jira unreachable',
  summary: 's',
  impact: { description: 'all projects', duration_ms: 1, services: [], users_affected: '' },
  root_causes: [{ category: 'network', description: 'provider', whys: ['a', 'b'] }],
  went_well: ['fast switch'],
  went_badly: [],
  step_evaluations: [{ step_key: 'report-outage', verdict: 'worked', comment: '', position: 1, phase: 'report', role: 'commander', title: '', done: true }],
} as unknown as Postmortem

describe('postmortem form', () => {
  it('offers five whys per cause', () => {
    expect(formFrom(postmortem).rootCauses[0]!.whys).toEqual(['a', 'b', '', '', ''])
  })
  it('sends only filled whys and non-empty lines', () => {
    const form = formFrom(postmortem)
    form.rootCauses[0]!.whys[3] = '  d '
    form.wentBadly = 'slow vendor\n\n  no bridge link  '
    const patch = patchFrom(form)
    expect(patch.root_causes![0]!.whys).toEqual(['a', 'b', 'd'])
    expect(patch.went_badly).toEqual(['slow vendor', 'no bridge link'])
    expect(patch.impact).toBe('all projects')
    expect(patch.step_evaluations).toEqual([{ step_key: 'report-outage', verdict: 'worked', comment: '' }])
  })
  it('splits lines', () => {
    expect(toLines(' a \n\nb')).toEqual(['a', 'b'])
  })
  it('moves draft -> in review -> published', () => {
    expect(nextStatus('draft')).toBe('in_review')
    expect(nextStatus('in_review')).toBe('published')
    expect(nextStatus('published')).toBeNull()
  })
})
