// localStorage keys of the UI's preferences, without the store: the first paint (boot.ts) reads them
// before the app's modules load.

/** Where the sidebar's collapsed state is remembered. */
export const SIDEBAR_KEY = 'pdmstudio.ui.sidebarCollapsed';
