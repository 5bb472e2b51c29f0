import { api, getAll } from './client'
import type { OnCall, Person, Schedule, Service, SeverityPolicy } from './types'

export const listServices = () => getAll<Service>('/services')
export const listPeople = () => getAll<Person>('/people')
export const listSchedules = () => getAll<Schedule>('/schedules')
export const listSeverities = () => getAll<SeverityPolicy>('/severities')
export const onCallNow = (schedule: string) =>
  api.get<OnCall>(`/schedules/${encodeURIComponent(schedule)}/oncall`)
