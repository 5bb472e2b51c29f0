import { describe, expect, it } from 'vitest'
import type { TimelineEntry } from '@/api/types'
import en from '@/locales/en'
import { describeEntry, type TimelineContext } from './timeline'

// A small stand-in for vue-i18n over the English messages: `{name}` placeholders only.
function lookup(key: string): unknown {
  return key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], en)
}
const ctx: TimelineContext = {
  te: (key) => typeof lookup(key) === 'string',
  t: (key, params = {}) => (lookup(key) as string).replace(/\{(\w+)\}/g, (_, n: string) => String(params[n])),
}
const entry = (kind: string, detail: Record<string, unknown> | undefined, text = 'server text'): TimelineEntry => ({
  at: '2026-01-01T00:00:00Z',
  actor: 'alice',
  kind,
  text,
  detail,
})

describe('describeEntry', () => {
  it('renders each kind from its detail', () => {
    expect(describeEntry(entry('declared', { severity: 'P1', title: 'DB down' }), ctx)).toBe('Declared P1: DB down')
    expect(describeEntry(entry('status_changed', { status: 'acknowledged' }), ctx)).toBe('State: Acknowledged')
    expect(describeEntry(entry('plan_activated', { plan: 'db', version: 3 }), ctx)).toBe('Activated plan db v3')
    expect(
      describeEntry(entry('role_assigned', { role: 'commander', role_name: 'Commander', person: 'hmm', person_name: '韩梅梅' }), ctx),
    ).toBe('Commander: 韩梅梅 (hmm)')
    expect(describeEntry(entry('checklist', { step: 'triage', position: 2, title: 'Triage the alert', done: true }), ctx)).toBe(
      'Done: 2. Triage the alert',
    )
    expect(describeEntry(entry('checklist', { step: 'other', title: 'Other', done: false }), ctx)).toBe('Undone: Other')
    // Older entries name the step by key only: the server's text, not a lookup.
    expect(describeEntry(entry('checklist', { step: 'triage', done: true }), ctx)).toBe('server text')
    expect(
      describeEntry(entry('step_assigned', { step: 'triage', position: 2, title: 'Triage', person: 'hmm', person_name: '韩梅梅' }), ctx),
    ).toBe('Step 2. Triage assigned to 韩梅梅 (hmm)')
    expect(describeEntry(entry('step_assigned', { step: 'triage', position: 2, title: 'Triage', person: '' }), ctx)).toBe(
      'Step 2. Triage no longer assigned',
    )
    expect(describeEntry(entry('step_assigned', { step: 'triage', title: 'Triage' }), ctx)).toBe('server text')
    expect(describeEntry(entry('status_update', { update_id: 4, stage: 'identified', audience: 'customers' }), ctx)).toBe(
      'Status update posted (Identified, Customers)',
    )
    expect(describeEntry(entry('severity_changed', { from: 'P2', to: 'P1' }), ctx)).toBe('Severity P2 → P1')
    expect(describeEntry(entry('linked', { other: 'INC-2026-0002' }), ctx)).toBe('Related to INC-2026-0002')
    expect(describeEntry(entry('merged', { into: 'INC-2026-0001' }), ctx)).toBe('Merged into INC-2026-0001')
    expect(describeEntry(entry('merged', { merged: 'INC-2026-0003', title: 'Slow' }), ctx)).toBe(
      'Merged INC-2026-0003 (Slow) into this incident',
    )
    expect(describeEntry(entry('escalated', { level: 2, round: 0, paged: ['bob'] }), ctx)).toBe('Escalation level 2: paged bob')
    expect(describeEntry(entry('escalated', { level: 1, round: 1, paged: [] }), ctx)).toBe(
      'Escalation level 1 (repeat 1): paged nobody',
    )
    expect(describeEntry(entry('reminder', { minutes_since_update: 31, reminded: ['ann'] }), ctx)).toContain('reminded ann')
    expect(describeEntry(entry('reminder', { minutes_since_update: 31, reminded: [] }), ctx)).toContain('the channels')
    expect(describeEntry(entry('notification', { state: 'queued', channels: 2, paged: ['bob'] }), ctx)).toBe(
      'Notice queued for 2 channel(s); paged bob',
    )
    expect(describeEntry(entry('notification', { notification_id: 9, state: 'delivered', attempt: 1 }), ctx)).toBe(
      'Notification #9: Delivered (try 1)',
    )
    const delivery = { notification_id: 9, state: 'failed', attempt: 3, channel: 'ops', channel_type: 'dingtalk', title: 'P1 declared' }
    expect(describeEntry(entry('notification', delivery), ctx)).toBe('Failed via ops (DingTalk robot): P1 declared')
    expect(describeEntry(entry('notification', { ...delivery, error: 'HTTP 500' }), ctx)).toBe(
      'Failed via ops (DingTalk robot): P1 declared — HTTP 500',
    )
    expect(describeEntry(entry('postmortem', { postmortem_id: 1, status: 'in_review' }), ctx)).toBe('Postmortem: In review')
  })

  it('keeps the text of notes and unknown kinds', () => {
    expect(describeEntry(entry('note', {}, 'looking at the logs'), ctx)).toBe('looking at the logs')
    expect(describeEntry(entry('something_new', { a: 1 }), ctx)).toBe('server text')
  })

  it('falls back to the text when a field is missing or mistyped', () => {
    expect(describeEntry(entry('declared', { severity: 'P1' }), ctx)).toBe('server text')
    expect(describeEntry(entry('status_changed', undefined), ctx)).toBe('server text')
    expect(describeEntry(entry('checklist', { step: 'triage', done: 'yes' }), ctx)).toBe('server text')
    expect(describeEntry(entry('escalated', { level: 2, paged: 'bob' }), ctx)).toBe('server text')
    expect(describeEntry(entry('notification', { state: 'failed' }), ctx)).toBe('server text')
  })

  it('shows values the locale does not know as written', () => {
    expect(describeEntry(entry('status_changed', { status: 'paused' }), ctx)).toBe('State: paused')
  })
})
