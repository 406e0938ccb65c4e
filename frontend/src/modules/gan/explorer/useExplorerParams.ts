// The explorer's choices live in the URL (#/data/explorer?m=…&d=…), so a view can be linked,
// survives navigating away and back, and the browser's back button undoes a change.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

export type ExplorerTab = 'columns' | 'distributions' | 'series' | 'correlation' | 'rows';
export const EXPLORER_TABS: ExplorerTab[] = ['columns', 'distributions', 'series', 'correlation', 'rows'];

export interface ExplorerParams {
  machine: string;
  dataset: string;
  /** The dataset overlaid for comparison, or "". */
  compare: string;
  tab: ExplorerTab;
  /** The histogram's column. */
  column: string;
  /** The time-series sensors. */
  sensors: string[];
  /** The episode (unit) of the first dataset, or "" for all rows. */
  unit: string;
  /** The episode of the comparison dataset. */
  unitB: string;
}

const KEYS: Record<keyof ExplorerParams, string> = {
  machine: 'm',
  dataset: 'd',
  compare: 'c',
  tab: 'tab',
  column: 'col',
  sensors: 's',
  unit: 'u',
  unitB: 'ub',
};

export function useExplorerParams(): [ExplorerParams, (patch: Partial<ExplorerParams>) => void] {
  const [sp, setSp] = useSearchParams();
  const params = useMemo<ExplorerParams>(() => {
    const tab = sp.get('tab') as ExplorerTab | null;
    return {
      machine: sp.get('m') ?? '',
      dataset: sp.get('d') ?? '',
      compare: sp.get('c') ?? '',
      tab: tab && EXPLORER_TABS.includes(tab) ? tab : 'columns',
      column: sp.get('col') ?? '',
      sensors: (sp.get('s') ?? '').split(',').filter(Boolean),
      unit: sp.get('u') ?? '',
      unitB: sp.get('ub') ?? '',
    };
  }, [sp]);
  const update = useCallback(
    (patch: Partial<ExplorerParams>) => {
      setSp(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch) as [keyof ExplorerParams, ExplorerParams[keyof ExplorerParams]][]) {
            const s = Array.isArray(v) ? v.join(',') : String(v ?? '');
            if (s) next.set(KEYS[k], s);
            else next.delete(KEYS[k]);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setSp],
  );
  return [params, update];
}
