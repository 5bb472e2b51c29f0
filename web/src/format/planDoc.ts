// The plan as the structured editor holds it: the YAML document (docs/plans-yaml.md) parsed into
// plain objects, so fields the editor has no form for (recovery, verification, contacts, ...) go
// back unchanged. Texts are edited as {en, zh-CN}; writing drops empty languages and fields.
import { parse, stringify } from 'yaml'

export type Text = string | { en?: string; 'zh-CN'?: string }
export interface BiText {
  en: string
  'zh-CN': string
}

export const PHASES = ['report', 'assess', 'respond', 'communicate', 'recover', 'verify'] as const
export const SCENARIO_TYPES = ['hardware', 'network', 'software_defect', 'human_error', 'natural_disaster', 'malicious_attack', 'other'] as const

export interface PlanScenario {
  key: string
  type?: string
  title?: Text
  criteria?: Text
  default_severity?: string
}
export interface PlanRoleDoc {
  key: string
  name?: Text
  responsibilities?: Text
}
export interface PlanStepDoc {
  key: string
  phase: string
  role: string
  title?: Text
  expected_duration?: string
  required?: boolean
  instructions?: Text
}
export interface TemplateText {
  title?: string
  body?: string
}
export interface PlanTemplateDoc {
  stage: string
  audience: string
  en?: TemplateText
  'zh-CN'?: TemplateText
}
export interface PlanDoc {
  format?: string
  key: string
  title?: Text
  summary?: Text
  owner?: string
  services?: string[]
  review?: { interval_days?: number; next?: string }
  scenarios?: PlanScenario[]
  roles?: PlanRoleDoc[]
  steps: PlanStepDoc[]
  templates?: PlanTemplateDoc[]
  fallback?: { tool?: Text; location?: string; instructions?: Text }
  [other: string]: unknown
}

/** A text in both languages for editing; a plain string stands for both. */
export function biText(text: Text | undefined | null): BiText {
  if (typeof text === 'string') return { en: text, 'zh-CN': text }
  return { en: text?.en ?? '', 'zh-CN': text?.['zh-CN'] ?? '' }
}

/** The text as written back: empty languages dropped, undefined when nothing is left. */
export function compactText(text: BiText): Text | undefined {
  const out: { en?: string; 'zh-CN'?: string } = {}
  if (text.en.trim()) out.en = text.en
  if (text['zh-CN'].trim()) out['zh-CN'] = text['zh-CN']
  return Object.keys(out).length ? out : undefined
}

/** Removes what an import would read as "absent" anyway: empty strings, lists and maps. */
export function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneEmpty)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      const pruned = pruneEmpty(v)
      if (pruned === undefined || pruned === null || pruned === '') continue
      if (Array.isArray(pruned) && pruned.length === 0 && k !== 'steps') continue
      if (typeof pruned === 'object' && !Array.isArray(pruned) && Object.keys(pruned).length === 0) continue
      out[k] = pruned
    }
    return out
  }
  return value
}

const HEADER = '# failsafe emergency plan (应急预案); format: docs/plans-yaml.md\n'

/** The plan as import YAML: multi-line texts as literal blocks, nothing folded. */
export function toYaml(doc: PlanDoc): string {
  const { format: _format, key, ...rest } = doc
  const ordered = pruneEmpty({ format: 'failsafe.plan/v1', key, ...rest })
  return HEADER + stringify(ordered, { lineWidth: 0, blockQuote: 'literal' })
}

/** Parses plan YAML; throws an Error naming the line when it is not YAML or not a map. */
export function fromYaml(text: string): PlanDoc {
  const value = parse(text, { prettyErrors: true }) as unknown
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a YAML map')
  const doc = value as PlanDoc
  if (!Array.isArray(doc.steps)) doc.steps = []
  return doc
}

/** A new plan's skeleton: one step, the default roles (no `roles` field). */
export function newPlan(key: string): PlanDoc {
  return {
    format: 'failsafe.plan/v1',
    key,
    title: { en: '', 'zh-CN': '' },
    review: { interval_days: 365 },
    steps: [{ key: 'declare', phase: 'report', role: 'commander', title: { en: 'Declare the incident', 'zh-CN': '宣布事件' }, expected_duration: '5m' }],
  }
}

export interface PhaseSteps {
  phase: string
  steps: { step: PlanStepDoc; index: number }[]
}

/** Steps grouped by phase in the phases' order (unknown phases last), keeping file indexes. */
export function stepsByPhase(steps: readonly PlanStepDoc[]): PhaseSteps[] {
  const order = [...PHASES, ...steps.map((s) => s.phase).filter((p) => !(PHASES as readonly string[]).includes(p))]
  return [...new Set(order)].map((phase) => ({
    phase,
    steps: steps.map((step, index) => ({ step, index })).filter((x) => x.step.phase === phase),
  }))
}

/** Moves step `index` by `delta` places in the file order (no-op at the ends). */
export function moveStep(steps: PlanStepDoc[], index: number, delta: -1 | 1): void {
  const to = index + delta
  if (to < 0 || to >= steps.length) return
  const [step] = steps.splice(index, 1)
  steps.splice(to, 0, step!)
}

/** Where a new step of `phase` goes: after the last step of that phase or of an earlier one. */
export function insertIndexForPhase(steps: readonly PlanStepDoc[], phase: string): number {
  const rank = (p: string) => {
    const i = (PHASES as readonly string[]).indexOf(p)
    return i === -1 ? PHASES.length : i
  }
  let at = 0
  steps.forEach((s, i) => {
    if (rank(s.phase) <= rank(phase)) at = i + 1
  })
  return at
}
