// A preview of a plan's communication template, filled the way the server fills it
// (docs/plans-yaml.md, "Variables"): {{ name }} with optional spaces, \{{ for a literal {{,
// and an unknown or empty variable renders as empty text.

export type TemplateVars = Record<string, string | undefined>

const VARIABLE = /\\\{\{|\{\{\s*([a-z_.]+)\s*\}\}/g

export function renderTemplate(text: string, vars: TemplateVars): string {
  return text.replace(VARIABLE, (match, name: string | undefined) =>
    name === undefined ? match.slice(1) : (vars[name] ?? ''),
  )
}
