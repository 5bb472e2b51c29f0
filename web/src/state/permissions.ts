// What the caller may do, as the server reports it (`permissions` from GET /api/v1/me: every
// "<resource>.<verb>" the effective role holds). The console offers only these actions; the
// server stays the judge of every request.

/** The permission list of a `/me` answer as a set; an answer without one grants nothing. */
export function permissionSet(permissions: readonly string[] | null | undefined): ReadonlySet<string> {
  return new Set(Array.isArray(permissions) ? permissions.filter((p) => typeof p === 'string') : [])
}

/** True when `permission` ("<resource>.<verb>") is among those granted. */
export function allows(granted: ReadonlySet<string>, permission: string): boolean {
  return granted.has(permission)
}
