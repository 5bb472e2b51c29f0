import { describe, expect, it } from 'vitest'
import type { Incident, PlanTemplate } from '@/api/types'
import { findTemplate, updateVars } from './updateVars'

const incident = {
  id: 'INC-2026-0001',
  title: 'Jira unreachable',
  status: 'declared',
  severity: 'P1',
  services: ['jira', 'wiki'],
  declared_at: '2026-11-22T03:59:32.180Z',
  roles: [{ role: 'commander', name: 'Commander', person: { handle: 'lilei', name: '李雷' } }],
} as unknown as Incident

describe('updateVars', () => {
  it('fills what the server fills', () => {
    const vars = updateVars({
      incident,
      plan: null,
      severity: { name_zh: '一级', name_en: 'Critical' } as never,
      services: [{ key: 'jira', name: 'Jira' } as never],
      language: 'zh-CN',
      eta: '30 分钟',
      message: '',
      origin: 'http://x',
      now: new Date('2026-11-22T04:00:00Z'),
    })
    expect(vars['incident.severity_name']).toBe('一级')
    expect(vars['incident.services']).toBe('Jira, wiki')
    expect(vars['incident.url']).toBe('http://x/incidents/INC-2026-0001')
    expect(vars['incident.commander']).toBe('李雷')
    expect(vars.eta).toBe('30 分钟')
    expect(vars['plan.key']).toBeUndefined()
  })
})

describe('findTemplate', () => {
  const tpl = (stage: string, audience: string, language: string) =>
    ({ stage, audience, language, title: `${stage}/${audience}/${language}`, body: '' }) as PlanTemplate
  const templates = [tpl('investigating', 'internal', 'en'), tpl('investigating', 'internal', 'zh-CN'), tpl('resolved', 'customers', 'en')]
  it('prefers the language asked for, then the other one', () => {
    expect(findTemplate(templates, 'investigating', 'internal', 'zh-CN')?.title).toBe('investigating/internal/zh-CN')
    expect(findTemplate(templates, 'resolved', 'customers', 'zh-CN')?.title).toBe('resolved/customers/en')
    expect(findTemplate(templates, 'monitoring', 'internal', 'en')).toBeUndefined()
  })
})
