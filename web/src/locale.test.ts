import { describe, expect, it } from 'vitest'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import en from './locales/en'
import zhCN from './locales/zh-CN'
import { pickLocale } from './locale-pick'
import { CHANNEL_TYPES, NOTIFICATION_STATES, STARTTLS } from './api/notify'
import { ROTATIONS, TARGET_TYPES, TIERS } from './api/types'
import { DEFAULT_ROLES } from './format/policy'
import { CATALOG_TABS } from './views/catalog/tabs'
import { WATCH_TABS } from './views/watch/tabs'

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix]
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    keys(v, prefix ? `${prefix}.${k}` : k),
  )
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name: string) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.(vue|ts)$/.test(name) && !name.endsWith('.test.ts') ? [path] : []
  })
}

describe('locales', () => {
  const enKeys = new Set(keys(en))
  it('has the same keys in both languages', () => {
    expect(keys(zhCN).sort()).toEqual([...enKeys].sort())
  })
  it('has no empty text', () => {
    for (const [name, messages] of [['en', en], ['zh-CN', zhCN]] as const) {
      for (const key of keys(messages)) {
        const text = key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], messages)
        expect(text, `${name}: ${key}`).not.toBe('')
      }
    }
  })
  it('has every key the code names with t("...")', () => {
    const missing: string[] = []
    for (const file of sources(fileURLToPath(new URL('.', import.meta.url)))) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) {
        if (!enKeys.has(m[1]!)) missing.push(`${file}: ${m[1]}`)
      }
    }
    expect(missing).toEqual([])
  })
})

describe('keys built from values (t(`prefix.${value}`))', () => {
  const families: [string, readonly string[]][] = [
    ['catalog.tabs', CATALOG_TABS.map((tab) => tab.name)],
    ['catalog.tier', TIERS],
    ['catalog.roleName', DEFAULT_ROLES],
    ['catalog.schedules.rotation', ROTATIONS],
    ['catalog.policies.target', TARGET_TYPES],
    ['channels.types', CHANNEL_TYPES],
    ['channels.urlHint', CHANNEL_TYPES.filter((type) => type !== 'email')],
    ['channels.states', NOTIFICATION_STATES],
    ['channels.starttls', STARTTLS],
    ['watch.tabs', WATCH_TABS.map((tab) => tab.key)],
    ['watch.maintenance.state', ['planned', 'active', 'ended']],
    ['watch.logs.kind', ['threshold', 'rate', 'match']],
    ['watch.logs.condition', ['ok', 'warn', 'err']],
  ]
  it('has a text for every value', () => {
    const enKeys = new Set(keys(en))
    const missing = families.flatMap(([prefix, values]) => values.map((v) => `${prefix}.${v}`)).filter((k) => !enKeys.has(k))
    expect(missing).toEqual([])
  })
})

describe('pickLocale', () => {
  it('prefers the saved choice', () => {
    expect(pickLocale('en', ['zh-CN'])).toBe('en')
  })
  it('follows the browser', () => {
    expect(pickLocale(null, ['zh-TW', 'en'])).toBe('zh-CN')
    expect(pickLocale(null, ['en-GB'])).toBe('en')
    expect(pickLocale('fr', ['fr-FR'])).toBe('en')
  })
})
