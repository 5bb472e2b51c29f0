import { describe, expect, it } from 'vitest'
import type { ChecklistStep } from '@/api/types'
import { checklistProgress, groupChecklist, isOpen, nextTimer } from './incident'

const step = (position: number, phase: string, role: string, done = false): ChecklistStep => ({
  position,
  step: `s${position}`,
  phase,
  role,
  title: `Step ${position}`,
  instructions: '',
  expected_duration_ms: 60_000,
  required: true,
  done,
  done_at: null,
  done_by: '',
  note: '',
})

describe('isOpen', () => {
  it('knows the open states', () => {
    expect(isOpen('mitigating')).toBe(true)
    expect(isOpen('recovered')).toBe(false)
  })
})

describe('groupChecklist', () => {
  const steps = [
    step(3, 'respond', 'tech', true),
    step(1, 'report', 'commander', true),
    step(2, 'assess', 'tech'),
    step(4, 'assess', 'coordinator'),
    step(5, 'respond', 'tech'),
  ]
  it('groups by phase in plan order, then by role', () => {
    const groups = groupChecklist(steps)
    expect(groups.map((g) => g.phase)).toEqual(['report', 'assess', 'respond'])
    expect(groups[1]!.roles.map((r) => r.role)).toEqual(['tech', 'coordinator'])
    expect(groups[2]!.roles[0]!.steps.map((s) => s.position)).toEqual([3, 5])
  })
  it('counts progress per phase and overall', () => {
    const groups = groupChecklist(steps)
    expect(groups.map((g) => [g.done, g.total])).toEqual([[1, 1], [0, 2], [1, 2]])
    expect(checklistProgress(steps)).toEqual({ done: 2, total: 5 })
  })
})

describe('nextTimer', () => {
  it('picks the earliest due timer', () => {
    const t = (due_at: string, level: number) => ({ kind: 'escalation', due_at, level, round: 0 })
    expect(nextTimer([t('2026-01-01T02:00:00Z', 2), t('2026-01-01T01:00:00Z', 1)])?.level).toBe(1)
    expect(nextTimer([])).toBeNull()
  })
})
