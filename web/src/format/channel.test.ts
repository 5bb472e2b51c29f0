import { describe, expect, it } from 'vitest'
import { blankChannelForm, channelBody, splitList } from './channel'

describe('channelBody', () => {
  it('sends everything when creating a signed robot', () => {
    const form = { ...blankChannelForm(), name: ' Ops group ', url: 'https://oapi.dingtalk.com/robot/send?access_token=x', secret: 'SEC1', severities: ['P1' as const] }
    expect(channelBody(form, true)).toEqual({
      name: 'Ops group',
      type: 'dingtalk',
      url: 'https://oapi.dingtalk.com/robot/send?access_token=x',
      secret: 'SEC1',
      enabled: true,
      audiences: ['internal'],
      scope: { services: [], teams: [], severities: ['P1'] },
    })
  })
  it('keeps the stored URL, secret and password when an edit leaves them empty', () => {
    const body = channelBody({ ...blankChannelForm(), type: 'email', name: 'Mail', to: 'a@x.com, b@x.com' }, false)
    expect(body.url).toBeUndefined()
    expect(body.secret).toBeUndefined()
    expect(body.type).toBeUndefined()
    expect(body.email).toEqual({ starttls: 'required', user: '', from: '', to: ['a@x.com', 'b@x.com'], ca_file: '' })
  })
  it('removes a secret on request, and only for types that sign', () => {
    expect(channelBody({ ...blankChannelForm(), removeSecret: true }, false).secret).toBe('')
    expect(channelBody({ ...blankChannelForm(), type: 'slack', secret: 'x' }, false).secret).toBeUndefined()
  })
  it('sends rate limits only when set', () => {
    expect(channelBody({ ...blankChannelForm(), perMinute: 20 }, false).rate_limit).toEqual({ per_minute: 20 })
    expect(channelBody(blankChannelForm(), false).rate_limit).toBeUndefined()
  })
})

describe('splitList', () => {
  it('splits on commas, semicolons (also full-width) and spaces', () => {
    expect(splitList('a@x.com；b@x.com, c@x.com\nd@x.com')).toEqual(['a@x.com', 'b@x.com', 'c@x.com', 'd@x.com'])
  })
})
