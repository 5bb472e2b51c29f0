// Notification channels and the outbox (GET /api/v1/openapi.json: /channels, /notifications).
import { api, getAll, type Page } from './client'
import type { Audience, Language, Severity } from './types'

export const CHANNEL_TYPES = ['dingtalk', 'feishu', 'wecom', 'slack', 'webhook', 'email'] as const
export type ChannelType = (typeof CHANNEL_TYPES)[number]
/** The types whose robot or receiver checks a signing secret. */
export const SIGNED_TYPES: readonly ChannelType[] = ['dingtalk', 'feishu', 'webhook']
export const STARTTLS = ['required', 'optional', 'off'] as const

export interface ChannelScope {
  services?: string[]
  teams?: string[]
  severities?: Severity[]
}

export interface Channel {
  id: number
  name: string
  type: ChannelType
  /** Redacted by the server: scheme and host only. */
  url: string
  has_secret: boolean
  enabled: boolean
  audiences: Audience[]
  scope: ChannelScope
  rate_limit: { per_second?: number; per_minute?: number }
  email?: { starttls: string; user: string; has_password: boolean; from: string; to: string[]; ca_file: string }
  created_at: string
  updated_at: string
}

/** What the console writes: URL, secret and password are write-only (never read back). */
export interface ChannelInput {
  name?: string
  type?: ChannelType
  url?: string
  secret?: string
  enabled?: boolean
  audiences?: Audience[]
  scope?: ChannelScope
  rate_limit?: { per_second?: number; per_minute?: number }
  email?: { starttls?: string; user?: string; password?: string; from?: string; to?: string[]; ca_file?: string }
}

export const NOTIFICATION_STATES = ['pending', 'sending', 'delivered', 'failed', 'folded'] as const
export type NotificationState = (typeof NOTIFICATION_STATES)[number]

export interface Notification {
  id: number
  idempotency_key: string
  channel_id: number
  channel_name: string
  channel_type?: string
  incident_id: number | null
  kind: string
  audience?: string
  title: string
  state: NotificationState
  attempts: number
  last_error?: string
  digest_id?: number | null
  next_attempt_at?: string | null
  delivered_at?: string | null
  created_at: string
  updated_at: string
  markdown?: string
}

export interface TestOutcome {
  channel_id: number
  channel_name?: string
  delivered: boolean
  error: string
}

export const listChannels = () => getAll<Channel>('/channels')
export const createChannel = (body: ChannelInput) => api.post<Channel>('/channels', body)
export const updateChannel = (id: number, body: ChannelInput) => api.patch<Channel>(`/channels/${id}`, body)
export const deleteChannel = (id: number) => api.del(`/channels/${id}`)
export const testChannel = (id: number, language: Language, to?: string[]) =>
  api.post<TestOutcome>(`/channels/${id}/test`, to?.length ? { language, to } : { language })

export const listNotifications = (query: { channel_id?: number; state?: NotificationState }, cursor: string | null, limit = 50) =>
  api.get<Page<Notification>>('/notifications', { ...query, cursor, limit })
export const retryNotification = (id: number) => api.post<Notification>(`/notifications/${id}/retry`)
