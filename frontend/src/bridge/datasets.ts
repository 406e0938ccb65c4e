// Data Explorer extras over the Datasets wrappers in onboarding.ts: a zoomable series query and
// the export that offers the file to the user.
import { call } from './transport';
import type { FileData } from './machines';
import { saveFileData } from './machines';
import type { Series, SeriesQuery } from './onboarding';

/** A series query limited to an x range (Unix ms for timestamps), for a zoomed-in chart. */
export interface SeriesRangeQuery extends SeriesQuery {
  x_min?: number;
  x_max?: number;
}

/** The formats Datasets.Export writes. */
export type ExportFormat = 'csv' | 'parquet';

export const datasetExplorer = {
  /** One column as a line downsampled on the server (LTTB), optionally within an x range. */
  series: (machineId: string, dataset: string, q: SeriesRangeQuery) => call<Series>('Datasets', 'Series', [machineId, dataset, q]),
  /**
   * Exports a dataset and offers it to the user as a file (the same way profiles and templates
   * are downloaded). Resolves with the file name and size in bytes.
   */
  exportToFile: async (machineId: string, dataset: string, format: ExportFormat) => {
    const f = await call<FileData>('Datasets', 'Export', [machineId, dataset, format], { timeoutMs: 180_000 });
    saveFileData(f);
    return { filename: f.filename, bytes: Math.floor((f.content_base64.length * 3) / 4) };
  },
};
