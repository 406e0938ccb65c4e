import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import Box from '@mui/material/Box';
import type { MachineStatus } from '../../../bridge';
import { gridWindow } from './logic';
import { CARD_HEIGHT, MachineCard, MachineCardStyles, type Preparing } from './MachineCard';

const GAP = 16;
const MIN_CARD = 270;
/** Up to this many cards render in the normal page flow; more go into a windowed grid. */
export const WINDOW_THRESHOLD = 60;

export interface MachineGridProps {
  machines: MachineStatus[];
  now: number;
  preparing: Record<string, Preparing>;
  total: number;
}

/**
 * The machine cards. A small fleet renders as a plain responsive grid; a large one (more than
 * WINDOW_THRESHOLD cards) as a windowed grid in its own scroll area that mounts only the rows in
 * view plus a few, so 1,000 machines cost about as much as 30. Written by hand (a page of code)
 * rather than adding a virtualisation package: cards have a fixed height, so rows are arithmetic.
 */
export function MachineGrid({ machines, now, preparing, total }: MachineGridProps) {
  const label = machines.length === total ? `Machines (${total})` : `Machines (${machines.length} of ${total})`;
  if (machines.length <= WINDOW_THRESHOLD) {
    return (
      <>
        <MachineCardStyles />
        <Box role="list" aria-label={label} data-testid="machine-grid" sx={{ display: 'grid', gap: `${GAP}px`, gridTemplateColumns: `repeat(auto-fill, minmax(min(${MIN_CARD}px, 100%), 1fr))` }}>
          {machines.map((m) => (
            <MachineCard key={m.id} m={m} now={now} preparing={preparing[m.id]} />
          ))}
        </Box>
      </>
    );
  }
  return (
    <>
      <MachineCardStyles />
      <WindowedGrid machines={machines} now={now} preparing={preparing} label={label} />
    </>
  );
}

function WindowedGrid({ machines, now, preparing, label }: Omit<MachineGridProps, 'total'> & { label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 960, height: 640 });
  const [scrollTop, setScrollTop] = useState(0);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let raf = 0;
    const onScroll = () => {
      if (raf) return;
      raf = requestAnimationFrame(() => {
        raf = 0;
        setScrollTop(el.scrollTop);
      });
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      el.removeEventListener('scroll', onScroll);
      if (raf) cancelAnimationFrame(raf);
    };
  }, []);

  const w = gridWindow({ count: machines.length, width: size.width, minCard: MIN_CARD, gap: GAP, rowHeight: CARD_HEIGHT, scrollTop, viewport: size.height, overscan: 2 });
  const rows = [];
  for (let r = w.first; r <= w.last; r++) {
    const slice = machines.slice(r * w.cols, (r + 1) * w.cols);
    rows.push(
      <Box
        key={r}
        role="presentation"
        sx={{ position: 'absolute', left: 0, right: 0, top: r * w.stride, display: 'grid', gap: `${GAP}px`, gridTemplateColumns: `repeat(${w.cols}, minmax(0, 1fr))` }}
      >
        {slice.map((m) => (
          <MachineCard key={m.id} m={m} now={now} preparing={preparing[m.id]} fixed />
        ))}
      </Box>,
    );
  }
  return (
    <Box
      ref={ref}
      tabIndex={0}
      data-testid="machine-grid"
      data-windowed="true"
      aria-label={`${label}; scroll to see more`}
      role="list"
      sx={{ height: '72vh', minHeight: 420, overflowY: 'auto', position: 'relative', pr: 0.5, '&:focus-visible': { outline: (t) => `2px solid ${t.palette.primary.main}` } }}
    >
      <Box sx={{ position: 'relative', height: w.height }}>{rows}</Box>
    </Box>
  );
}
