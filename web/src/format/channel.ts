// Turning the channel form into the API's body: write-only fields are sent only when typed, so
// an edit that leaves them empty keeps the stored URL, secret and password.
import type { ChannelInput, ChannelType } from '@/api/notify'
import { SIGNED_TYPES } from '@/api/notify'
import type { Audience, Severity } from '@/api/types'

export interface ChannelForm {
  name: string
  type: ChannelType
  url: string
  secret: string
  removeSecret: boolean
  enabled: boolean
  audiences: Audience[]
  services: string[]
  teams: string[]
  severities: Severity[]
  perSecond: number | null
  perMinute: number | null
  starttls: string
  user: string
  password: string
  from: string
  to: string
  caFile: string
}

export function blankChannelForm(): ChannelForm {
  return {
    name: '', type: 'dingtalk', url: '', secret: '', removeSecret: false, enabled: true,
    audiences: ['internal'], services: [], teams: [], severities: [], perSecond: null, perMinute: null,
    starttls: 'required', user: '', password: '', from: '', to: '', caFile: '',
  }
}

/** Splits a list typed with commas, semicolons, spaces or new lines. */
export function splitList(text: string): string[] {
  return text.split(/[\s,;，；]+/).filter(Boolean)
}

/** The body of POST /channels (creating) or PATCH /channels/{id} (editing). */
export function channelBody(form: ChannelForm, creating: boolean): ChannelInput {
  const body: ChannelInput = {
    name: form.name.trim(),
    enabled: form.enabled,
    audiences: form.audiences,
    scope: { services: form.services, teams: form.teams, severities: form.severities },
  }
  if (creating) body.type = form.type
  if (creating || form.url.trim()) body.url = form.url.trim()
  if (SIGNED_TYPES.includes(form.type)) {
    if (form.removeSecret) body.secret = ''
    else if (form.secret) body.secret = form.secret
  }
  const rate: ChannelInput['rate_limit'] = {}
  if (form.perSecond !== null) rate.per_second = form.perSecond
  if (form.perMinute !== null) rate.per_minute = form.perMinute
  if (Object.keys(rate).length) body.rate_limit = rate
  if (form.type === 'email') {
    body.email = { starttls: form.starttls, user: form.user, from: form.from, to: splitList(form.to), ca_file: form.caFile }
    if (form.password) body.email.password = form.password
  }
  return body
}
