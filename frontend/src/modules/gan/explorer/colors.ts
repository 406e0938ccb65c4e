import { useTheme } from '@mui/material/styles';

/** The colours of the first and the compared dataset, the same in every chart and legend. */
export function useDatasetColors(): [string, string] {
  const t = useTheme();
  return [t.palette.primary.main, t.palette.status.degrading];
}
