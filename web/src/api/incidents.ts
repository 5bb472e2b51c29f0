import { api, type Page } from './client'
import type {
  ChecklistStep,
  DeclareRequest,
  Incident,
  IncidentRole,
  IncidentStatus,
  IncidentSummary,
  PostUpdateRequest,
  Severity,
  StatusUpdate,
  TransitionAction,
} from './types'

/** The list's filter, applied by the server: any of the statuses and any of the severities. */
export interface IncidentFilter {
  status?: (IncidentStatus | 'open')[]
  severity?: Severity[]
  service?: string
  /** Words that must all occur in the ID, the title or a service key (case-insensitive). */
  q?: string
}

/** The filter as query parameters (`status=a,b`, `severity=P1,P2`, `q=`; empty ones left out). */
export function filterQuery(filter: IncidentFilter): Record<string, string | undefined> {
  return {
    status: filter.status?.join(',') || undefined,
    severity: filter.severity?.join(',') || undefined,
    service: filter.service || undefined,
    q: filter.q?.trim() || undefined,
  }
}

const path = (id: string) => `/incidents/${encodeURIComponent(id)}`

export const listIncidents = (filter: IncidentFilter, cursor: string | null, limit = 500) =>
  api.get<Page<IncidentSummary>>('/incidents', { ...filterQuery(filter), cursor, limit })

export const getIncident = (id: string) => api.get<Incident>(path(id))
export const declareIncident = (body: DeclareRequest) => api.post<Incident>('/incidents', body)
export const transition = (id: string, action: TransitionAction, note?: string) =>
  api.post<Incident>(`${path(id)}/transition`, note ? { action, note } : { action })
export const changeSeverity = (id: string, severity: Severity) =>
  api.patch<Incident>(path(id), { severity })
export const activatePlan = (id: string, plan: string) =>
  api.post<Incident>(`${path(id)}/plan`, { plan })
export const assignRole = (id: string, role: string, person: string) =>
  api.post<IncidentRole>(`${path(id)}/roles`, { role, person })
export const tickStep = (id: string, step: string, done: boolean) =>
  api.post<unknown>(`${path(id)}/checklist`, { step, done })
/** Assigns a step to a person (handle), or clears the assignment with null. */
export const assignStep = (id: string, step: string, assignee: string | null) =>
  api.patch<ChecklistStep>(`${path(id)}/checklist/${encodeURIComponent(step)}`, { assignee })
export const addNote = (id: string, text: string) => api.post<unknown>(`${path(id)}/notes`, { text })
export const postUpdate = (id: string, body: PostUpdateRequest) =>
  api.post<StatusUpdate>(`${path(id)}/updates`, body)
/** The update as posting `body` now would send it (the template filled in); nothing is stored. */
export const previewUpdate = (id: string, body: PostUpdateRequest) =>
  api.post<Omit<StatusUpdate, 'id'>>(`${path(id)}/updates/preview`, body)
export const linkIncident = (id: string, other: string, kind: 'related' | 'merge' = 'related') =>
  api.post<Incident>(`${path(id)}/links`, { other, kind })
