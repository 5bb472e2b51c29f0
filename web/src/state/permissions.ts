// The server's permission table (src/auth/roles.h), so the console offers only what the role
// may do. The server stays the judge: this only hides or disables what would be refused.
import type { Role } from '@/api/types'

export type EffectiveRole = Role | 'pending-2fa'

/** Resources only an admin may read or write. */
const SENSITIVE = new Set(['users', 'audit', 'settings'])

/** `permission` is "<resource>.<verb>", verb in read | write | admin. */
export function roleAllows(role: EffectiveRole | null | undefined, permission: string): boolean {
  const [resource, verb, ...rest] = permission.split('.')
  if (!role || !resource || !verb || rest.length > 0) return false
  if (role === 'pending-2fa') return permission === 'self.totp' || permission === 'self.session'
  if (resource === 'self' || permission === 'tokens.read' || permission === 'tokens.write') return true
  if (role === 'admin') return true
  if (SENSITIVE.has(resource) || verb === 'admin') return false
  if (verb === 'read') return role === 'viewer' || role === 'responder'
  return verb === 'write' && role === 'responder'
}
