import { describe, expect, it } from 'vitest'
import { renderTemplate } from './template'

describe('renderTemplate', () => {
  it('fills variables, with or without spaces', () => {
    expect(renderTemplate('[{{incident.severity}}] back in {{ eta }}', { 'incident.severity': 'P1', eta: '30m' })).toBe(
      '[P1] back in 30m',
    )
  })
  it('renders a missing variable as empty text', () => {
    expect(renderTemplate('ETA: {{eta}}.', {})).toBe('ETA: .')
  })
  it('keeps an escaped opening brace pair', () => {
    expect(renderTemplate('\\{{eta}} is {{eta}}', { eta: '1h' })).toBe('{{eta}} is 1h')
  })
  it('leaves other text alone', () => {
    expect(renderTemplate('a } b }} c \\d', {})).toBe('a } b }} c \\d')
  })
})
