// The batch on show: kept in localStorage so the progress table is there again after navigating
// away, reloading or reopening the window (the jobs themselves run on in the backend).
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { BatchItem } from '../../../bridge';

export interface RunningBatch {
  operation: string;
  startedAt: string;
  items: BatchItem[];
}

interface BatchState {
  current: RunningBatch | null;
  start: (b: RunningBatch) => void;
  clear: () => void;
}

export const useBatchStore = create<BatchState>()(
  persist(
    (set) => ({
      current: null,
      start: (b) => set({ current: b }),
      clear: () => set({ current: null }),
    }),
    { name: 'pdmstudio.batch.current', version: 1 },
  ),
);
