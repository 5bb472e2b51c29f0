import { api, getAll } from './client'
import type { Plan, PlanListItem } from './types'

export const listPlans = () => getAll<PlanListItem>('/plans')
export const getPlan = (key: string, version?: number) =>
  api.get<Plan>(`/plans/${encodeURIComponent(key)}`, { version })
