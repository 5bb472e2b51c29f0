// What the incident page derives from an incident: the checklist grouped by phase and role,
// progress, and the next escalation step (the allowed actions come with the incident).
import type { ChecklistStep, IncidentRole, IncidentStatus, IncidentTimer } from '@/api/types'

export function isOpen(status: IncidentStatus): boolean {
  return status === 'declared' || status === 'acknowledged' || status === 'mitigating'
}

export interface RoleGroup {
  role: string
  steps: ChecklistStep[]
}

export interface PhaseGroup {
  phase: string
  roles: RoleGroup[]
  done: number
  total: number
}

/** Phases in the plan's order (first appearance), and within each the roles in their order. */
export function groupChecklist(steps: readonly ChecklistStep[]): PhaseGroup[] {
  const phases: PhaseGroup[] = []
  for (const step of [...steps].sort((a, b) => a.position - b.position)) {
    let phase = phases.find((p) => p.phase === step.phase)
    if (!phase) {
      phase = { phase: step.phase, roles: [], done: 0, total: 0 }
      phases.push(phase)
    }
    let role = phase.roles.find((r) => r.role === step.role)
    if (!role) {
      role = { role: step.role, steps: [] }
      phase.roles.push(role)
    }
    role.steps.push(step)
    phase.total += 1
    if (step.done) phase.done += 1
  }
  return phases
}

/** Who does a step: its assignee, else the person holding its role (null: nobody yet). */
export function stepOwner(step: ChecklistStep, roles: readonly IncidentRole[]): { handle: string; name: string } | null {
  return step.assignee ?? roles.find((r) => r.role === step.role)?.person ?? null
}

/** "My steps": those the person with `handle` does (assigned, or through a role they hold). */
export function stepsOf(steps: readonly ChecklistStep[], roles: readonly IncidentRole[], handle: string): ChecklistStep[] {
  return steps.filter((s) => stepOwner(s, roles)?.handle === handle)
}

/** The handle of the person whose login is `userId` (a person record may name its user). */
export function handleOfUser(people: readonly { handle: string; user_id?: number | null }[], userId: number | undefined): string | null {
  if (userId === undefined) return null
  return people.find((p) => p.user_id === userId)?.handle ?? null
}

export function checklistProgress(steps: readonly ChecklistStep[]): { done: number; total: number } {
  return { done: steps.filter((s) => s.done).length, total: steps.length }
}

/** The pending timer due first: the next escalation page or update reminder. */
export function nextTimer(timers: readonly IncidentTimer[]): IncidentTimer | null {
  let next: IncidentTimer | null = null
  for (const t of timers) {
    if (!next || Date.parse(t.due_at) < Date.parse(next.due_at)) next = t
  }
  return next
}
