import { useLayoutEffect, useRef, type RefObject } from 'react';

function reducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * Counts the text of the element behind the returned ref from its previous value (0 at first, or
 * the number the first paint showed) to
 * target over ms milliseconds. The animation writes the element's text directly instead of
 * re-rendering React on every frame (it runs during the dashboard's first paint, when four cards
 * re-rendering ~50 times each competed with the machine grid); so render the element empty.
 */
export function useCountUp<T extends HTMLElement>(target: number, ms = 900): RefObject<T | null> {
  const ref = useRef<T>(null);
  const shown = useRef<number | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const set = (v: number) => {
      if (shown.current !== v || el.textContent !== String(v)) el.textContent = String(v);
      shown.current = v;
    };
    // After the first paint (boot.ts) showed the number, the app's first render keeps it instead
    // of counting up from 0 again.
    const begin = shown.current ?? (document.documentElement.dataset.prepaint === 'shown' ? target : 0);
    if (reducedMotion() || typeof requestAnimationFrame !== 'function' || begin === target) {
      set(target);
      return;
    }
    set(begin);
    const start = performance.now();
    let raf = 0;
    const step = (t: number) => {
      const k = Math.min(1, Math.max(0, (t - start) / ms));
      const eased = 1 - (1 - k) ** 3;
      set(Math.round(begin + (target - begin) * eased));
      if (k < 1) raf = requestAnimationFrame(step);
    };
    raf = requestAnimationFrame(step);
    return () => {
      cancelAnimationFrame(raf);
    };
  }, [target, ms]);
  return ref;
}
