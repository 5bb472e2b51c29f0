/// <reference types="vite/client" />
import 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session. */
    public?: boolean
    /** The permission a user needs to open the page (see state/permissions.ts). */
    permission?: string
  }
}
