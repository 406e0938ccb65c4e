import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { renderApp } from '../test/render';
import { installFakeBackend } from '../test/fakeBackend';
import type { FleetOverview } from '../bridge';
import { machine } from '../modules/fleet/dashboard/testData';
import { canPrepaint, esc, fleetCardHTML, machineCardHTML, prepaintHTML, refreshHTML, sidebarHTML } from './prepaint';
import { prepaintCSS } from './styles';
import { HEALTH_STATUSES } from '../bridge';

/** An element as comparable text: tag, attributes sorted by name, children; <style> left out. */
function shape(n: Node): string {
  if (n.nodeType === Node.TEXT_NODE) return JSON.stringify(n.textContent);
  if (n.nodeType !== Node.ELEMENT_NODE) return '';
  const el = n as Element;
  if (el.tagName === 'STYLE') return '';
  const attrs = [...el.attributes].map((a) => `${a.name}=${JSON.stringify(a.value)}`).sort();
  // Adjacent text nodes (React writes "a", " ", "b" where a template writes "a b") compare joined.
  const kids: string[] = [];
  let text: string | null = null;
  for (const c of el.childNodes) {
    if (c.nodeType === Node.TEXT_NODE) text = (text ?? '') + c.textContent;
    else {
      if (text !== null && text !== '') kids.push(JSON.stringify(text));
      text = null;
      const s = shape(c);
      if (s) kids.push(s);
    }
  }
  if (text !== null && text !== '') kids.push(JSON.stringify(text));
  return `<${el.tagName.toLowerCase()} ${attrs.join(' ')}>${kids.join('')}</${el.tagName.toLowerCase()}>`;
}

function parse(html: string): Element {
  const t = document.createElement('template');
  t.innerHTML = html;
  return t.content.firstElementChild!;
}

const NOW = Date.parse('2026-11-27T12:00:42Z');

function fleet(): FleetOverview {
  const machines = [
    machine({ id: 'motor_a', name: 'Motor A', status: 'healthy', open_alerts: 1 }),
    machine({
      id: 'pump_b',
      name: 'Pump <b>B</b> & "co"',
      manufacturer: 'Grundfos',
      status: 'critical',
      health_state: 3,
      confidence: 0.81,
      rul: 0.3,
      open_alerts: 2,
      key_sensors: [
        { name: 'bearing_temp_de', unit: '°C', value: 97.25, warning: 85, trip: 95 },
        { name: 'vibration', unit: 'mm/s', value: 4.1, warning: 3.5, trip: 7.1 },
        { name: 'current', unit: 'A', value: 12, warning: 30, trip: 34 },
        { name: 'fourth', unit: 'bar', value: 1, warning: null, trip: null },
      ],
    }),
    machine({ id: 'fan_c', name: 'Fan C', status: 'warning', health_state: 2, confidence: null, rul: null, updated_at: null }),
    machine({ id: 'gear_d', name: 'Gearbox D', status: 'degrading', health_state: 1, key_sensors: [] }),
  ];
  return {
    machines,
    counts: { healthy: 1, degrading: 1, warning: 1, critical: 1, unknown: 0 },
    previous_counts: { healthy: 2, degrading: 1, warning: 1, critical: 0, unknown: 0 },
    refreshed_at: '2026-11-27T12:00:00Z',
    interval_s: 30,
    paused: false,
    rul_unit: 'hours',
    refreshes: 3,
    refresh_ms: 12,
    running: true,
  };
}

afterEach(() => {
  vi.useRealTimers();
  delete document.documentElement.dataset.prepaint;
});

describe('first paint', () => {
  it('draws the same machine cards, fleet cards and sidebar as the app', async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    const ov = fleet();
    installFakeBackend({ 'Fleet.Overview': () => ov, 'Fleet.Alerts': () => [] });
    // The app takes over a first paint: the fleet cards show their numbers at once (no count-up).
    document.documentElement.dataset.prepaint = 'shown';
    const { container } = renderApp('/');
    await screen.findAllByTestId('machine-card');
    await waitFor(() => expect(container.querySelector('[data-testid="fleet-count-healthy"]')?.textContent).toBe('1'));

    const cards = [...container.querySelectorAll('[data-testid="machine-card"]')];
    expect(cards.map((c) => c.getAttribute('data-machine'))).toEqual(['pump_b', 'fan_c', 'gear_d', 'motor_a']); // worst first
    for (const card of cards) {
      const m = ov.machines.find((x) => x.id === card.getAttribute('data-machine'))!;
      expect(shape(parse(machineCardHTML(m, NOW)))).toBe(shape(card));
    }

    const fleetCards = [...container.querySelectorAll('.pdm-fc')];
    expect(fleetCards).toHaveLength(4);
    HEALTH_STATUSES.forEach((s, i) => {
      expect(shape(parse(fleetCardHTML(s, ov.counts[s], ov.previous_counts[s])))).toBe(shape(fleetCards[i]!));
    });

    const pill = container.querySelector('[data-testid="refresh-indicator"]')!;
    expect(shape(parse(refreshHTML(ov, NOW)).querySelector('[data-testid="refresh-indicator"]')!)).toBe(shape(pill));
    expect(pill.textContent).toBe('Live · refreshed 42 s ago · every 30 s');

    const nav = container.querySelector('.pdm-sb__nav')!;
    expect(shape(parse(sidebarHTML()).querySelector('.pdm-sb__nav')!)).toBe(shape(nav));
  });

  it('escapes what the fleet says (names, sites) instead of parsing it as markup', () => {
    const el = parse(machineCardHTML(machine({ name: '<img src=x onerror="alert(1)">', site: 'A & B' }), NOW));
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('h3')?.textContent).toBe('<img src=x onerror="alert(1)">');
    expect(el.querySelector('.pdm-mc__caption')?.textContent).toContain('A & B');
    expect(esc(`<>&"'`)).toBe('&#60;&#62;&#38;&#34;&#39;');
  });

  it('paints only the docked dashboard with a ready fleet that fits the plain grid', () => {
    const ov = fleet();
    const base = { path: '/', width: 1440, sidebarCollapsed: false, overview: ov };
    expect(canPrepaint(base)).toBe(true);
    expect(canPrepaint({ ...base, path: '/machines' })).toBe(false);
    expect(canPrepaint({ ...base, width: 1000 })).toBe(false);
    expect(canPrepaint({ ...base, sidebarCollapsed: true })).toBe(false);
    expect(canPrepaint({ ...base, overview: null })).toBe(false);
    expect(canPrepaint({ ...base, overview: { ...ov, machines: [] } })).toBe(false);
    expect(canPrepaint({ ...base, overview: { ...ov, machines: [...ov.machines, machine({ id: 'new', ready: false, status: 'unknown' })] } })).toBe(false);
    const many = Array.from({ length: 61 }, (_, i) => machine({ id: `m${i}` }));
    expect(canPrepaint({ ...base, overview: { ...ov, machines: many } })).toBe(false);
  });

  it('is one page: shell, heading, fleet cards and every machine, with its styles for the theme', () => {
    for (const mode of ['dark', 'light'] as const) {
      const root = document.createElement('div');
      root.innerHTML = prepaintHTML(fleet(), prepaintCSS(mode), NOW);
      expect(root.querySelectorAll('[data-testid="machine-card"]')).toHaveLength(4);
      expect(root.querySelector('h1')?.textContent).toBe('Dashboard');
      expect(root.querySelector('.pdm-nav.active')?.getAttribute('href')).toBe('#/');
      const css = root.querySelector('style')!.textContent!;
      expect(css).toContain('.pdm-mc{');
      expect(css).toContain('.pdm-fc-grid{');
      expect(css).toContain('.pdm-sb__paper{');
      expect(css).toContain(mode === 'dark' ? 'color-scheme:dark' : 'color-scheme:light');
    }
  });
});
