import { useState } from 'react';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import { useSnackbar } from 'notistack';
import { errorMessage } from '../../../bridge';
import { datasetExplorer, type ExportFormat } from '../../../bridge';
import { formatBytes } from '../../../lib/format';
import { datasetLabel } from './logic';

/** Export the chosen datasets as CSV or Parquet; the file is offered for saving. */
export function ExportMenu({ machineId, datasets }: { machineId: string; datasets: string[] }) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [busy, setBusy] = useState(false);
  const { enqueueSnackbar } = useSnackbar();

  const run = async (dataset: string, format: ExportFormat) => {
    setAnchor(null);
    setBusy(true);
    try {
      const f = await datasetExplorer.exportToFile(machineId, dataset, format);
      enqueueSnackbar(`Exported ${f.filename} (${formatBytes(f.bytes)})`, { variant: 'success' });
    } catch (err) {
      enqueueSnackbar(`Export failed: ${errorMessage(err)}`, { variant: 'error', autoHideDuration: 8000 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        variant="outlined"
        startIcon={busy ? <CircularProgress size={16} /> : <FileDownloadOutlined />}
        disabled={busy}
        onClick={(e) => setAnchor(e.currentTarget)}
        aria-haspopup="menu"
        aria-expanded={anchor ? 'true' : undefined}
        aria-controls={anchor ? 'export-menu' : undefined}
      >
        {busy ? 'Exporting…' : 'Export'}
      </Button>
      <Menu id="export-menu" anchorEl={anchor} open={!!anchor} onClose={() => setAnchor(null)}>
        {datasets.flatMap((d) =>
          (['csv', 'parquet'] as const).map((f) => (
            <MenuItem key={`${d}-${f}`} onClick={() => void run(d, f)}>
              <ListItemText primary={`${datasetLabel(d)} as ${f === 'csv' ? 'CSV' : 'Parquet'}`} secondary={`${machineId}_${d}.${f}`} />
            </MenuItem>
          )),
        )}
      </Menu>
    </>
  );
}
