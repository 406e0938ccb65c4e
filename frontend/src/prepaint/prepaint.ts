// The first paint of the dashboard, drawn before the app (React, MUI, the shell) is loaded: the
// shell frame, the page heading, the four fleet cards and the machine cards, from the fleet
// overview that early.ts requested, as the same elements and classes the React components render
// and with the same stylesheets (built from the same sheet functions and theme at build time,
// styles.ts). On this 2-core machine the app's JavaScript takes about a second before its first
// render; this paint needs a few milliseconds, so the fleet is on screen while the app loads. When
// the app renders, React replaces it in one commit (main.tsx renders into the same #root), and the
// parts drawn here look the same.
//
// Written by hand rather than by rendering the React components, which would need React and the
// app's modules loaded first (the cost this avoids). prepaint.test.tsx renders both for the same
// overview and fails when a machine card, a fleet card, the refresh pill or the sidebar differ.
import type { FleetOverview, MachineStatus } from '../bridge/fleet';
import { HEALTH_STATUSES } from '../bridge/fleet';
import { NAV_DATA } from '../app/navData';
import { NAV_ICONS, SHELL_ICONS, type IconPaths } from '../components/shell/iconPaths';
import { FLEET_CARD_HELP } from '../modules/fleet/dashboard/fleetCardHelp';
import { ARROW, SPARKLE } from '../modules/fleet/dashboard/cardIcons';
import { STATUS_LABEL, countOf, filterMachines, formatAge, formatRUL, formatValue, refreshStatus, sensorLevel, trend } from '../modules/fleet/dashboard/logic';

/** Most machines painted early (a larger fleet gets the app's windowed grid). */
export const PREPAINT_MAX_MACHINES = 60;

/** HTML-escapes text for element content and attribute values. */
export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function icon(paths: IconPaths, small = false): string {
  return `<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" class="pdm-icon"${small ? ' data-size="small"' : ''}>${paths.map((d) => `<path d="${d}"></path>`).join('')}</svg>`;
}

const LOGO =
  '<svg viewBox="0 0 64 64" aria-hidden="true" class="pdm-logo" width="34" height="34"><defs><linearGradient id="pdm-logo-g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#667eea"></stop><stop offset="1" stop-color="#764ba2"></stop></linearGradient></defs><rect width="64" height="64" rx="15" fill="url(#pdm-logo-g)"></rect><path d="M10 36h10l5-12 8 22 6-16 4 6h11" fill="none" stroke="#fff" stroke-width="4.5" stroke-linecap="round" stroke-linejoin="round"></path></svg>';

/** The docked sidebar, as Sidebar.tsx renders it (wide layout, not collapsed) on the dashboard. */
export function sidebarHTML(): string {
  const groups = NAV_DATA.map((g) => {
    const items = g.items
      .map((i) => {
        const active = i.path === '/';
        const paths = NAV_ICONS[i.path];
        return `<a data-collapsed="false"${active ? ' aria-current="page"' : ''} class="pdm-nav${active ? ' active' : ''}" href="#${esc(i.path)}" data-discover="true"><span class="pdm-nav__icon">${paths ? icon(paths, true) : ''}</span><span class="pdm-nav__label">${esc(i.label)}</span></a>`;
      })
      .join('');
    const heading = g.label ? `<div class="pdm-sb__heading">${esc(g.label)}</div>` : '';
    return `<div role="group" aria-label="${esc(g.label ?? 'Overview')}" class="pdm-sb__group">${heading}${items}</div>`;
  }).join('');
  return (
    `<div class="pdm-sb" data-collapsed="false"><div class="pdm-sb__paper"><div class="pdm-sb__content">` +
    `<div class="pdm-sb__brand" data-collapsed="false">${LOGO}<div style="min-width: 0px;"><p class="pdm-sb__name">PdM Studio</p><span class="pdm-sb__tagline">Predictive maintenance</span></div></div>` +
    `<nav aria-label="Main navigation" class="pdm-sb__nav">${groups}</nav>` +
    `<div class="pdm-sb__foot" data-collapsed="false"><span class="pdm-sb__version">\u00a0</span><span class="pdm-pp-icon" data-box="30">${icon(SHELL_ICONS.KeyboardDoubleArrowLeftRounded, true)}</span></div>` +
    `</div></div></div>`
  );
}

/** The header bar: the menu icon and the breadcrumb; the tools (jobs, theme, account) come with the app. */
function headerHTML(): string {
  return (
    `<header class="pdm-header"><div class="pdm-header__bar"><span class="pdm-pp-icon pdm-pp-edge">${icon(SHELL_ICONS.MenuOpenRounded)}</span>` +
    `<nav aria-label="Breadcrumb" class="pdm-crumbs"><ol><li><p aria-current="page" class="pdm-crumbs__current">Dashboard</p></li></ol></nav>` +
    `<div class="pdm-header__spacer"></div><div class="pdm-header__tools"></div></div></header>`
  );
}

/** One fleet card, as FleetCards.tsx renders it once its count is in. */
export function fleetCardHTML(status: (typeof HEALTH_STATUSES)[number], count: number, before: number): string {
  const tr = trend(count, before);
  const worse = status === 'healthy' ? tr.delta < 0 : tr.delta > 0;
  return (
    `<button type="button" class="pdm-fc" data-status="${status}" aria-pressed="false" data-testid="fleet-card-${status}">` +
    `<span class="pdm-fc__head"><span aria-hidden="true" class="${status === 'critical' && count > 0 ? 'pdm-fc__dot pdm-pulse' : 'pdm-fc__dot'}"></span><span class="pdm-fc__label">${esc(STATUS_LABEL[status])}</span></span>` +
    `<span class="pdm-fc__count" data-testid="fleet-count-${status}" data-value="${count}">${count}</span>` +
    `<span class="pdm-fc__trend" data-trend="${tr.delta === 0 ? 'same' : worse ? 'worse' : 'better'}"><span aria-hidden="true">${tr.arrow} </span>${esc(tr.delta === 0 ? 'no change' : tr.text)} <span class="pdm-fc__since">since last refresh</span></span>` +
    `<span class="pdm-fc__help">${esc(FLEET_CARD_HELP[status])}</span></button>`
  );
}

const btnIcon = (d: string) => `<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="${d}"></path></svg>`;

/** One machine card, as MachineCard.tsx renders a ready machine's (in the plain grid; canPrepaint asks for ready machines). */
export function machineCardHTML(m: MachineStatus, now: number): string {
  const label = STATUS_LABEL[m.status];
  const titleId = `machine-${m.id}-name`;
  const conf =
    m.confidence !== null
      ? `<div class="pdm-mc__conf" title="Confidence of the health-state prediction" aria-label="Confidence ${Math.round(m.confidence * 100)}%">${Math.round(m.confidence * 100)}%</div>`
      : '';
  const rul = m.rul !== null ? `<p class="pdm-mc__rul" title="Predicted remaining useful life">RUL ${esc(formatRUL(m.rul))}</p>` : '';
  const sensors = `<dl class="pdm-mc__sensors">${m.key_sensors
    .slice(0, 3)
    .map((s) => {
      const level = sensorLevel(s);
      const title = level === 'normal' ? '' : ` title="${level === 'trip' ? 'At or past its trip threshold' : 'At or past its warning threshold'}"`;
      const flag = level !== 'normal' ? `<span class="pdm-mc__flag">${level === 'trip' ? '(trip)' : '(warn)'}</span>` : '';
      return `<div style="display: contents;"><dt title="${esc(s.name)}">${esc(s.name.replace(/_/g, ' '))}</dt><dd data-level="${level}"${title}>${esc(formatValue(s.value))} ${esc(s.unit)}${flag}</dd></div>`;
    })
    .join('')}</dl>`;
  const updated = (m.updated_at ? `Updated ${formatAge(m.updated_at, now)}` : 'Not predicted yet') + (m.open_alerts > 0 ? ` · ${m.open_alerts} open alert${m.open_alerts === 1 ? '' : 's'}` : '');
  const explain = `<a class="pdm-mc__btn" aria-label="AI Explain ${esc(m.name)}" href="#/assistant/explain?machine=${esc(encodeURIComponent(m.id))}" data-discover="true">${btnIcon(SPARKLE)}AI Explain</a>`;
  return (
    `<article class="pdm-mc" aria-labelledby="${esc(titleId)}" role="listitem" data-testid="machine-card" data-machine="${esc(m.id)}" data-status="${m.status}" data-ready="true" data-fixed="false">` +
    `<div class="pdm-mc__head"><div class="pdm-mc__id"><h3 id="${esc(titleId)}" class="pdm-mc__name" title="${esc(m.name)}">${esc(m.name)}</h3>` +
    `<p class="pdm-mc__caption" title="${esc(`${m.manufacturer} ${m.model} · ${m.site}`)}">${esc(m.manufacturer)} ${esc(m.model)} · ${esc(m.site)}</p></div>${conf}</div>` +
    `<div class="pdm-mc__state"><div role="img" aria-label="Status: ${esc(label)}" class="${m.status === 'critical' ? 'pdm-mc__dot pdm-pulse' : 'pdm-mc__dot'}"></div><p class="pdm-mc__label">${esc(label)}</p>${rul}</div>` +
    sensors +
    `<p class="pdm-mc__caption">${esc(updated)}</p>` +
    `<div class="pdm-mc__actions"><a class="pdm-mc__btn" aria-label="Details of ${esc(m.name)}" href="#/machines/${esc(m.id)}" data-discover="true">Details${btnIcon(ARROW)}</a>${explain}</div>` +
    `</article>`
  );
}

// Material Icons path (Apache-2.0, as shipped in @mui/icons-material): RefreshRounded.
const REFRESH =
  'M17.65 6.35c-1.63-1.63-3.94-2.57-6.48-2.31-3.67.37-6.69 3.35-7.1 7.02C3.52 15.91 7.27 20 12 20c3.19 0 5.93-1.87 7.21-4.56.32-.67-.16-1.44-.9-1.44-.37 0-.72.2-.88.53-1.13 2.43-3.84 3.97-6.8 3.31-2.22-.49-4.01-2.3-4.48-4.52C5.31 9.44 8.26 6 12 6c1.66 0 3.14.69 4.22 1.78l-1.51 1.51c-.63.63-.19 1.71.7 1.71H19c.55 0 1-.45 1-1V6.41c0-.89-1.08-1.34-1.71-.71z';

/** The page heading's actions: the refresh pill as RefreshIndicator draws it (the backend answered), and its button's place. */
export function refreshHTML(ov: FleetOverview, now: number): string {
  const { tone, text, live } = refreshStatus(ov, now, false);
  return (
    `<div class="pdm-pp-actions"><div role="status" aria-live="polite" data-testid="refresh-indicator" class="pdm-refresh"><div aria-hidden="true" data-tone="${tone}" class="${live ? 'pdm-refresh__dot pdm-live' : 'pdm-refresh__dot'}"></div>` +
    `<span class="pdm-refresh__text" data-offline="false">${esc(text)}</span></div><span class="pdm-pp-icon" data-box="34">${icon([REFRESH])}</span></div>`
  );
}

/** The dashboard page under the header: heading, fleet cards, the machines card, the side column's frames. */
export function dashboardHTML(ov: FleetOverview, now: number, sorted: MachineStatus[]): string {
  const fleetCards = HEALTH_STATUSES.map((s) => fleetCardHTML(s, countOf(ov.counts, s), countOf(ov.previous_counts ?? ov.counts, s))).join('');
  const n = ov.machines.length;
  const cards = sorted.map((m) => machineCardHTML(m, now)).join('');
  return (
    `<section class="pdm-pp-page" aria-labelledby="page-title"><div class="pdm-pp-head"><div style="min-width: 0px;"><h1 id="page-title" tabindex="-1" class="pdm-pp-h1">Dashboard</h1>` +
    `<p class="pdm-pp-desc">Which machines need attention, how sure the models are, and what changed since the last refresh.</p></div>${refreshHTML(ov, now)}</div>` +
    `<div role="group" aria-label="Fleet health" class="pdm-fc-grid">${fleetCards}</div>` +
    `<div class="pdm-dash__layout"><section class="pdm-card" aria-labelledby="machines-title"><div class="pdm-card__content pdm-dash__machines">` +
    `<h2 id="machines-title" class="pdm-dash__title">Machines <span class="pdm-dash__count">${n}</span></h2><div class="pdm-dash__tools"><div class="pdm-pp-field" style="flex: 1 1 220px;"></div><div class="pdm-pp-field" style="flex: 0 1 150px;"></div><div class="pdm-pp-field" style="flex: 0 1 190px;"></div></div>` +
    `<div role="list" aria-label="Machines (${n})" data-testid="machine-grid" class="pdm-pp-grid">${cards}</div></div></section>` +
    `<div class="pdm-dash__side"><section class="pdm-card pdm-pp-side" aria-label="Alerts"><div class="pdm-card__content"><h2 class="pdm-dash__title">Alerts</h2></div></section></div></div></section>`
  );
}

/** The whole first paint for the overview: styles, shell and dashboard (the app's #root content). */
export function prepaintHTML(ov: FleetOverview, css: string, now: number): string {
  const sorted = filterMachines(ov.machines, { search: '', status: 'all', sort: 'status' });
  return (
    `<div data-testid="app-shell" class="pdm-shell" data-prepaint="true"><style data-pdm-styles="Prepaint">${css}</style>` +
    sidebarHTML() +
    `<div class="pdm-shell__col">${headerHTML()}<main id="main-content" tabindex="-1" class="pdm-shell__main">${dashboardHTML(ov, now, sorted)}</main></div></div>`
  );
}

/** The layout this start opens in: the route, the window's width, the sidebar's remembered state. */
export interface PrepaintView {
  path: string;
  width: number;
  sidebarCollapsed: boolean;
}

/**
 * Whether the layout is one the first paint draws: the dashboard route with the docked sidebar
 * (≥ 1024 px wide, not collapsed); the narrow layout and the collapsed rail are left to the app.
 */
export function prepaintView(v: PrepaintView): boolean {
  return v.path === '/' && v.width >= 1024 && !v.sidebarCollapsed;
}

/**
 * Whether this start can be painted early: a layout prepaintView accepts, and a fleet whose
 * machines are all ready (machines being prepared show their jobs' progress, which only the app
 * knows) and small enough for the plain grid.
 */
export function canPrepaint(opts: PrepaintView & { overview: FleetOverview | null | undefined }): boolean {
  const ms = opts.overview?.machines ?? [];
  return prepaintView(opts) && ms.length > 0 && ms.length <= PREPAINT_MAX_MACHINES && ms.every((m) => m.ready);
}
