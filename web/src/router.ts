import { createRouter, createWebHistory } from 'vue-router'
import { onUnauthenticated } from '@/api/client'
import { can, ensureSession, forgetSession } from '@/state/session'

// Every page is its own chunk: the first load carries only the shell and the page opened.
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true } },
    {
      path: '/',
      component: () => import('@/layouts/AppShell.vue'),
      children: [
        { path: '', name: 'dashboard', component: () => import('@/views/DashboardView.vue'), meta: { permission: 'incidents.read' } },
        { path: 'incidents', name: 'incidents', component: () => import('@/views/IncidentListView.vue'), meta: { permission: 'incidents.read' } },
        { path: 'incidents/:id', name: 'incident', component: () => import('@/views/IncidentView.vue'), props: true, meta: { permission: 'incidents.read' } },
        { path: 'postmortems', name: 'postmortems', component: () => import('@/views/PostmortemListView.vue'), meta: { permission: 'postmortems.read' } },
        { path: 'postmortems/:id', name: 'postmortem', component: () => import('@/views/PostmortemView.vue'), props: true, meta: { permission: 'postmortems.read' } },
        { path: 'plans/new', name: 'plan-new', component: () => import('@/views/PlanEditorView.vue'), meta: { permission: 'plans.write' } },
        { path: 'plans/:planKey/edit', name: 'plan-edit', component: () => import('@/views/PlanEditorView.vue'), props: true, meta: { permission: 'plans.write' } },
        { path: 'plans', name: 'plans', component: () => import('@/views/PlanListView.vue'), meta: { permission: 'plans.read' } },
        {
          path: 'catalog',
          component: () => import('@/views/CatalogView.vue'),
          meta: { permission: 'catalog.read' },
          children: [
            { path: '', redirect: '/catalog/services' },
            { path: 'services', name: 'services', component: () => import('@/views/catalog/ServicesView.vue') },
            { path: 'teams', name: 'teams', component: () => import('@/views/catalog/TeamsView.vue') },
            { path: 'people', name: 'people', component: () => import('@/views/catalog/PeopleView.vue') },
            { path: 'schedules/:schedule?', name: 'schedules', component: () => import('@/views/catalog/SchedulesView.vue'), props: true },
            { path: 'policies', name: 'policies', component: () => import('@/views/catalog/PoliciesView.vue') },
            { path: 'severities', name: 'severities', component: () => import('@/views/catalog/SeveritiesView.vue') },
            { path: 'channels', name: 'channels', component: () => import('@/views/catalog/ChannelsView.vue'), meta: { permission: 'channels.read' } },
          ],
        },
        {
          path: 'watch',
          component: () => import('@/views/WatchView.vue'),
          children: [
            { path: '', redirect: '/watch/alerts' },
            { path: 'alerts', name: 'watch-alerts', component: () => import('@/views/watch/AlertsView.vue'), meta: { permission: 'alerts.read' } },
            { path: 'silences', name: 'watch-silences', component: () => import('@/views/watch/SilencesView.vue'), meta: { permission: 'silences.read' } },
            { path: 'rules', name: 'watch-rules', component: () => import('@/views/watch/RulesView.vue'), meta: { permission: 'watch.read' } },
            { path: 'probes', name: 'watch-probes', component: () => import('@/views/watch/ProbesView.vue'), meta: { permission: 'watch.read' } },
            { path: 'logs', name: 'watch-logs', component: () => import('@/views/watch/LogsView.vue'), meta: { permission: 'watch.read' } },
            { path: 'maintenance', name: 'watch-maintenance', component: () => import('@/views/watch/MaintenanceView.vue'), meta: { permission: 'maintenance.read' } },
          ],
        },
        { path: 'backups', name: 'backups', component: () => import('@/views/BackupsView.vue'), meta: { permission: 'backups.read' } },
        { path: 'admin', name: 'admin', component: () => import('@/views/AdminView.vue'), meta: { permission: 'users.read' } },
        { path: 'profile', name: 'profile', component: () => import('@/views/ProfileView.vue') },
        { path: ':rest(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue') },
      ],
    },
  ],
})

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  const me = await ensureSession()
  if (!me) return { name: 'login', query: { next: to.fullPath } }
  // A user who must enrol TOTP may only reach the profile page until they have.
  if (me.effective_role === 'pending-2fa' && to.name !== 'profile') return { name: 'profile' }
  if (to.meta.permission && !can(to.meta.permission)) return { name: 'profile' }
  return true
})

onUnauthenticated(() => {
  forgetSession()
  const current = router.currentRoute.value
  if (!current.meta.public) void router.push({ name: 'login', query: { next: current.fullPath } })
})
