import { describe, expect, it } from 'vitest'
import type { PlanTemplate } from '@/api/types'
import { findTemplate, updateRequest } from './updates'

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

describe('updateRequest', () => {
  const form = { stage: 'identified', audience: 'customers', language: 'en', eta: '', message: '' } as const
  it('leaves out empty variables and, for the template, the text', () => {
    expect(updateRequest(form)).toEqual({ stage: 'identified', audience: 'customers', language: 'en' })
    expect(updateRequest({ ...form, eta: '30 min', message: 'db failover' })).toEqual({
      stage: 'identified',
      audience: 'customers',
      language: 'en',
      eta: '30 min',
      message: 'db failover',
    })
  })
  it('sends free text as body, and the subject only when given', () => {
    expect(updateRequest(form, { title: '', body: 'all good' })).toEqual({ stage: 'identified', audience: 'customers', language: 'en', body: 'all good' })
    expect(updateRequest(form, { title: 'Fixed', body: 'all good' }).title).toBe('Fixed')
  })
})
