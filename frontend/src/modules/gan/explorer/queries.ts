// Query keys of the Data Explorer: a dataset's aggregates are cached per machine, dataset and
// file time, so switching tabs or datasets back and forth does not ask the server again.
export const explorerKeys = {
  machines: ['machines', 'list'] as const,
  datasets: (machineId: string) => ['datasets', machineId] as const,
  stats: (machineId: string, dataset: string, modified: string) => ['datasets', machineId, dataset, modified, 'stats'] as const,
  histogram: (machineId: string, sets: string[], column: string, bins: number, modified: string) =>
    ['datasets', machineId, sets.join('+'), modified, 'histogram', column, bins] as const,
  series: (machineId: string, dataset: string, modified: string, q: unknown) => ['datasets', machineId, dataset, modified, 'series', q] as const,
  correlation: (machineId: string, dataset: string, modified: string) => ['datasets', machineId, dataset, modified, 'correlation'] as const,
  rows: (machineId: string, dataset: string, modified: string, offset: number, limit: number) =>
    ['datasets', machineId, dataset, modified, 'rows', offset, limit] as const,
};
