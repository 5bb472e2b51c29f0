import { describe, expect, it } from 'vitest'
import { biText, compactText, fromYaml, insertIndexForPhase, moveStep, newPlan, pruneEmpty, stepsByPhase, toYaml, type PlanStepDoc } from './planDoc'

const step = (key: string, phase: string): PlanStepDoc => ({ key, phase, role: 'commander' })

describe('texts', () => {
  it('edits a plain string as both languages and writes back only what is filled', () => {
    expect(biText('Printer down')).toEqual({ en: 'Printer down', 'zh-CN': 'Printer down' })
    expect(biText(undefined)).toEqual({ en: '', 'zh-CN': '' })
    expect(compactText({ en: 'A', 'zh-CN': ' ' })).toEqual({ en: 'A' })
    expect(compactText({ en: '', 'zh-CN': '' })).toBeUndefined()
  })
})

describe('YAML round trip', () => {
  const source = `# comment
format: failsafe.plan/v1
key: printer
title:
  en: Printer down
  zh-CN: 打印机故障
contacts:
  - name: Vendor
    phone: "400-123"
steps:
  - key: call
    phase: respond
    role: logistics
    instructions:
      en: |
        1. Call the vendor.
        2. Wait.
templates: []
`
  it('keeps fields the editor has no form for and writes multi-line texts as blocks', () => {
    const doc = fromYaml(source)
    doc.steps[0]!.expected_duration = '30m'
    const out = toYaml(doc)
    expect(out).toContain('contacts:\n  - name: Vendor\n    phone: 400-123')
    expect(out).toContain('    instructions:\n      en: |\n        1. Call the vendor.\n        2. Wait.\n')
    expect(out).toContain('expected_duration: 30m')
    expect(out).not.toContain('templates')
    expect(fromYaml(out)).toEqual({ ...fromYaml(source), templates: undefined, steps: doc.steps } as unknown)
  })
  it('puts format and key first', () => {
    const out = toYaml({ steps: [], key: 'k', owner: 'me' })
    expect(out.split('\n').slice(1, 3)).toEqual(['format: failsafe.plan/v1', 'key: k'])
  })
  it('names the line of a syntax error', () => {
    expect(() => fromYaml('key: a\n  steps: [\n')).toThrow(/line/)
    expect(() => fromYaml('- a\n')).toThrow('not a YAML map')
  })
  it('starts a new plan that imports', () => {
    expect(toYaml(newPlan('new-plan'))).toContain('key: new-plan')
  })
})

describe('pruneEmpty', () => {
  it('drops empty strings, lists and maps but keeps false, 0 and steps', () => {
    expect(pruneEmpty({ a: '', b: [], c: {}, d: false, e: 0, steps: [], f: { g: '' } })).toEqual({ d: false, e: 0, steps: [] })
  })
})

describe('steps', () => {
  const steps = [step('a', 'report'), step('b', 'respond'), step('c', 'assess'), step('d', 'respond')]
  it('groups by phase in phase order, keeping file indexes', () => {
    const groups = stepsByPhase(steps).filter((g) => g.steps.length)
    expect(groups.map((g) => [g.phase, g.steps.map((s) => s.index)])).toEqual([
      ['report', [0]],
      ['assess', [2]],
      ['respond', [1, 3]],
    ])
  })
  it('moves a step and inserts after its phase', () => {
    const list = [...steps]
    moveStep(list, 1, 1)
    expect(list.map((s) => s.key)).toEqual(['a', 'c', 'b', 'd'])
    moveStep(list, 0, -1)
    expect(list.map((s) => s.key)).toEqual(['a', 'c', 'b', 'd'])
    expect(insertIndexForPhase(list, 'assess')).toBe(2)
    expect(insertIndexForPhase(list, 'verify')).toBe(4)
    expect(insertIndexForPhase([], 'report')).toBe(0)
  })
})
