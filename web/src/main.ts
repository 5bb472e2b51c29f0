import { createApp } from 'vue'
import 'element-plus/theme-chalk/base.css'
import './styles.css'
import App from './App.vue'
import { i18n } from './i18n'
import { router } from './router'

// Earlier builds kept the CSRF token here; GET /me returns it now.
localStorage.removeItem('failsafe.csrf')
document.documentElement.lang = i18n.global.locale.value
createApp(App).use(i18n).use(router).mount('#app')
