// What the status-update composer sends: the plan's template (filled in by the server, which
// also previews it) or free text.
import type { Audience, Language, PlanTemplate, PostUpdateRequest, UpdateStage } from '@/api/types'

/** The plan's template for a stage and audience in a language, else in the other language. */
export function findTemplate(
  templates: readonly PlanTemplate[],
  stage: UpdateStage,
  audience: Audience,
  language: Language,
): PlanTemplate | undefined {
  const matching = templates.filter((t) => t.stage === stage && t.audience === audience)
  return matching.find((t) => t.language === language) ?? matching[0]
}

export interface ComposerForm {
  stage: UpdateStage
  audience: Audience
  language: Language
  eta: string
  message: string
}

/** The request for posting (or previewing) an update; `free` is the text written by hand. */
export function updateRequest(form: ComposerForm, free?: { title: string; body: string }): PostUpdateRequest {
  const update: PostUpdateRequest = { stage: form.stage, audience: form.audience, language: form.language }
  if (form.eta) update.eta = form.eta
  if (form.message) update.message = form.message
  if (free) {
    update.body = free.body
    if (free.title) update.title = free.title
  }
  return update
}
