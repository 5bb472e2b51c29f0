import { api, getAll, withQuery } from './client'
import type {
  ActionItem,
  ActionStatus,
  IncidentReport,
  Postmortem,
  PostmortemPatch,
  PostmortemSummary,
} from './types'

const path = (id: number | string) => `/postmortems/${encodeURIComponent(String(id))}`

export const listPostmortems = () => getAll<PostmortemSummary>('/postmortems')
export const getPostmortem = (id: number | string) => api.get<Postmortem>(path(id))
export const createPostmortem = (incident: string) => api.post<Postmortem>('/postmortems', { incident })
export const updatePostmortem = (id: number, patch: PostmortemPatch) =>
  api.patch<Postmortem>(path(id), patch)
export const refreshTimeline = (id: number) => api.post<Postmortem>(`${path(id)}/timeline/refresh`)
export const addAction = (id: number, action: { title: string; owner: string; due_date: string }) =>
  api.post<ActionItem>(`${path(id)}/actions`, action)
export const setActionStatus = (id: number, actionId: number, status: ActionStatus) =>
  api.patch<ActionItem>(`${path(id)}/actions/${actionId}`, { status })
export const listOverdueActions = () => getAll<ActionItem>('/postmortems/actions', { overdue: 'true' })

/** A link that downloads the postmortem as Markdown or HTML in one language. */
export const exportUrl = (id: number, format: 'md' | 'html', lang: string) =>
  `/api/v1${withQuery(`${path(id)}/export`, { format, lang })}`

export const incidentReport = (from: Date, to: Date) =>
  api.get<IncidentReport>('/reports/incidents', { from: from.toISOString(), to: to.toISOString() })
