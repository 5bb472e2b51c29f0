import { describe, expect, it } from 'vitest'
import { lineRange, locatePlanError } from './planErrors'

describe('locatePlanError', () => {
  it('finds the line, the item and the tab of a step error', () => {
    const place = locatePlanError("db.yaml:31: steps[2].role: unknown role 'cook' (roles: commander)", 'steps[2].role')
    expect(place).toEqual({
      line: 31,
      field: 'steps[2].role',
      text: "unknown role 'cook' (roles: commander)",
      tab: 'steps',
      list: 'steps',
      index: 2,
    })
  })
  it('puts roles and scenarios on their tab, templates on theirs', () => {
    expect(locatePlanError('p.yaml:9: roles[0].key: must be a key', 'roles[0].key')).toMatchObject({ tab: 'scenarios', list: 'roles', index: 0 })
    expect(locatePlanError('p.yaml:5: scenarios[1].severity: must be P1..P4', 'scenarios[1].severity')).toMatchObject({ tab: 'scenarios', list: 'scenarios', index: 1 })
    expect(locatePlanError('p.yaml:40: templates[3].en.body: unknown template variable', 'templates[3].en.body')).toMatchObject({ tab: 'templates', index: 3 })
  })
  it('keeps top-level fields on the basics tab', () => {
    expect(locatePlanError('p.yaml:2: title: is required', 'title')).toMatchObject({ line: 2, tab: 'basics', list: null, index: null, text: 'is required' })
  })
  it('takes a syntax error without a field', () => {
    expect(locatePlanError('p.yaml:7: YAML syntax error: bad indentation', null)).toMatchObject({
      line: 7,
      field: null,
      text: 'YAML syntax error: bad indentation',
      tab: 'basics',
    })
    expect(locatePlanError('something odd')).toMatchObject({ line: null, text: 'something odd' })
  })
})

describe('lineRange', () => {
  const text = 'a: 1\nbb: 2\nccc: 3'
  it('gives the offsets of a line', () => {
    expect(lineRange(text, 1)).toEqual([0, 4])
    expect(lineRange(text, 2)).toEqual([5, 10])
    expect(lineRange(text, 3)).toEqual([11, 17])
  })
  it('clamps a line past the end', () => {
    expect(lineRange(text, 9)).toEqual([17, 17])
  })
})
