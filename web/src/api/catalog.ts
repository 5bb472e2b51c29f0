import { api, getAll } from './client'
import type {
  EscalationPolicy,
  OnCall,
  OnCallBoard,
  Override,
  Person,
  Schedule,
  Service,
  SeverityPolicy,
  Shift,
  Team,
} from './types'

/** List, create, change (only the fields given) and delete one kind of catalog entry by key. */
function resource<T>(path: string) {
  const one = (key: string) => `${path}/${encodeURIComponent(key)}`
  return {
    list: () => getAll<T>(path),
    get: (key: string) => api.get<T>(one(key)),
    create: (body: Partial<T>) => api.post<T>(path, body),
    update: (key: string, body: Partial<T>) => api.patch<T>(one(key), body),
    remove: (key: string) => api.del(one(key)),
  }
}

export const services = resource<Service>('/services')
export const teams = resource<Team>('/teams')
export const people = resource<Person>('/people')
export const schedules = resource<Schedule>('/schedules')
export const policies = resource<EscalationPolicy>('/policies')

export const listServices = services.list
export const listPeople = people.list
export const listSchedules = schedules.list
export const listSeverities = () => getAll<SeverityPolicy>('/severities')
export const updateSeverity = (level: string, body: Partial<SeverityPolicy>) =>
  api.patch<SeverityPolicy>(`/severities/${encodeURIComponent(level)}`, body)

const sched = (key: string) => `/schedules/${encodeURIComponent(key)}`
export const onCallNow = (schedule: string) => api.get<OnCall>(`${sched(schedule)}/oncall`)
/** Every schedule's on-call now, in one request. */
export const onCallBoard = () => api.get<OnCallBoard>('/oncall')
export const listShifts = (schedule: string, from: string, days: number) =>
  getAll<Shift>(`${sched(schedule)}/shifts`, { from, days })
export const listOverrides = (schedule: string, from: string, days: number) =>
  getAll<Override>(`${sched(schedule)}/overrides`, { from, days })
export const addOverride = (schedule: string, body: { person: string; start: string; end: string }) =>
  api.post<Override>(`${sched(schedule)}/overrides`, body)
export const removeOverride = (schedule: string, id: number) => api.del(`${sched(schedule)}/overrides/${id}`)
