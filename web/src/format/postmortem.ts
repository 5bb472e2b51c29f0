// The postmortem editor's form: what it edits, and the PATCH it sends.
import type { Postmortem, PostmortemPatch, PostmortemStatus, RootCause, StepEvaluation } from '@/api/types'

export interface PostmortemForm {
  title: string
  summary: string
  impact: string
  rootCauses: RootCause[]
  wentWell: string
  wentBadly: string
  evaluations: Pick<StepEvaluation, 'step_key' | 'verdict' | 'comment'>[]
}

export const WHYS = 5

export const toLines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)

export function formFrom(p: Postmortem): PostmortemForm {
  return {
    title: p.title,
    summary: p.summary,
    impact: p.impact.description,
    rootCauses: p.root_causes.map((c) => ({ ...c, whys: [...c.whys, ...Array(WHYS).fill('')].slice(0, WHYS) })),
    wentWell: p.went_well.join('\n'),
    wentBadly: p.went_badly.join('\n'),
    evaluations: p.step_evaluations.map(({ step_key, verdict, comment }) => ({ step_key, verdict, comment })),
  }
}

export function patchFrom(form: PostmortemForm): PostmortemPatch {
  return {
    title: form.title.trim(),
    summary: form.summary,
    impact: form.impact,
    root_causes: form.rootCauses.map((c) => ({
      category: c.category,
      description: c.description,
      whys: c.whys.map((w) => w.trim()).filter(Boolean),
    })),
    went_well: toLines(form.wentWell),
    went_badly: toLines(form.wentBadly),
    step_evaluations: form.evaluations,
  }
}

const NEXT: Record<PostmortemStatus, PostmortemStatus | null> = {
  draft: 'in_review',
  in_review: 'published',
  published: null,
}

/** The status a postmortem moves to next, if any (draft -> in_review -> published). */
export const nextStatus = (status: PostmortemStatus) => NEXT[status]
