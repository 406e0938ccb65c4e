// The first paint's stylesheet per theme, built at build time (vite.config.ts, prepaintCSS).
declare module 'virtual:pdm-prepaint-css' {
  const css: { dark: string; light: string };
  export default css;
}
