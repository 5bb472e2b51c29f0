import { describe, expect, it } from 'vitest'
import type { ChecklistStep, IncidentRole } from '@/api/types'
import { checklistProgress, groupChecklist, handleOfUser, isOpen, nextTimer, stepOwner, stepsOf } from './incident'

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
  assignee: null,
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

describe('my steps', () => {
  const roles: IncidentRole[] = [
    { role: 'commander', name: 'Commander', person: { handle: 'ann', name: 'Ann' } },
    { role: 'tech_support', name: 'Tech', person: null },
  ]
  const steps = [
    step(1, 'report', 'commander'),
    { ...step(2, 'report', 'commander'), assignee: { handle: 'bob', name: 'Bob' } },
    step(3, 'respond', 'tech_support'),
    { ...step(4, 'respond', 'tech_support'), assignee: { handle: 'ann', name: 'Ann' } },
  ]
  it('gives a step to its assignee, else to whoever holds its role', () => {
    expect(stepOwner(steps[0]!, roles)?.handle).toBe('ann')
    expect(stepOwner(steps[1]!, roles)?.handle).toBe('bob')
    expect(stepOwner(steps[2]!, roles)).toBeNull()
  })
  it('filters the steps a person does', () => {
    expect(stepsOf(steps, roles, 'ann').map((s) => s.position)).toEqual([1, 4])
    expect(stepsOf(steps, roles, 'bob').map((s) => s.position)).toEqual([2])
    expect(stepsOf(steps, roles, 'nobody')).toEqual([])
  })
  it('finds the person record of the signed-in user', () => {
    const people = [{ handle: 'ann', user_id: 7 }, { handle: 'bob', user_id: null }]
    expect(handleOfUser(people, 7)).toBe('ann')
    expect(handleOfUser(people, 8)).toBeNull()
    expect(handleOfUser(people, undefined)).toBeNull()
  })
})
