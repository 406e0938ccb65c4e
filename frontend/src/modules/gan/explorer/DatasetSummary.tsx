import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { DatasetInfo } from '../../../bridge';
import { formatBytes, formatRelative, plural, pluralNoun } from '../../../lib/format';
import { datasetLabel, formatNumber } from './logic';
import { useDatasetColors } from './colors';

function One({ d, color }: { d: DatasetInfo; color: string }) {
  const episodes = d.meta?.episodes;
  const generator = d.meta?.generator?.startsWith('pdmstudio-tvae') ? 'TVAE synthetic' : d.meta?.generator?.startsWith('pdmstudio-simulate') ? 'simulated run-to-failure' : d.meta?.generator;
  return (
    <Stack direction="row" spacing={1.25} sx={{ alignItems: 'flex-start', minWidth: 0 }}>
      <Box aria-hidden sx={{ width: 12, height: 12, borderRadius: 0.5, bgcolor: color, mt: 0.6, flexShrink: 0 }} />
      <Box sx={{ minWidth: 0 }}>
        <Typography variant="subtitle2" component="p">
          {datasetLabel(d.kind)}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {formatNumber(d.rows)} {pluralNoun(d.rows, 'row')} · {plural(d.columns.length, 'column')}{episodes ? ` · ${plural(Number(episodes), 'episode')}` : ''} · {formatBytes(d.bytes)}
          {generator ? ` · ${generator}` : ''} · written {formatRelative(d.modified)}
        </Typography>
      </Box>
    </Stack>
  );
}

/** One line per chosen dataset: size, episodes, origin; the colour swatch is its colour in every chart. */
export function DatasetSummary({ a, b }: { a: DatasetInfo; b?: DatasetInfo }) {
  const [ca, cb] = useDatasetColors();
  return (
    <Stack direction={{ xs: 'column', lg: 'row' }} spacing={{ xs: 1.5, lg: 4 }} aria-label="Chosen data sets">
      <One d={a} color={ca} />
      {b && <One d={b} color={cb} />}
    </Stack>
  );
}
