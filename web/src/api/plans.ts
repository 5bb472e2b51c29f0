import { api, getAll, toApiError, withQuery } from './client'
import type { Plan, PlanListItem } from './types'

const path = (key: string) => `/plans/${encodeURIComponent(key)}`

export const listPlans = () => getAll<PlanListItem>('/plans')
export const getPlan = (key: string, version?: number) => api.get<Plan>(path(key), { version })

export const listVersions = (key: string) => getAll<Plan>(`${path(key)}/versions`)
export const approvePlan = (key: string) => api.post<Plan>(`${path(key)}/approve`)
export const retirePlan = (key: string) => api.post<Plan>(`${path(key)}/retire`)
export const submitPlan = (key: string) => api.post<Plan>(`${path(key)}/submit`)
/** Imports plan YAML; a known key gets a new draft version (docs/plans-yaml.md). */
export const importPlan = (yaml: string, filename: string) => api.post<Plan>('/plans/import', { yaml, filename })
/** Checks plan YAML exactly as an import would and answers the plan it describes; stores nothing. */
export const checkPlan = (yaml: string, filename: string) => api.post<Plan>('/plans/import?dry_run=true', { yaml, filename })
/** The periodic review found the approved version still right: its next review date moves on. */
export const markReviewed = (key: string) => api.post<Plan>(`${path(key)}/reviewed`)

/** The plan as YAML (the import format), as the server exports it. */
export async function exportYaml(key: string, version?: number): Promise<string> {
  const response = await fetch(`/api/v1${withQuery(`${path(key)}/export`, { version })}`, { credentials: 'same-origin' })
  if (!response.ok) throw await toApiError(response)
  return response.text()
}
