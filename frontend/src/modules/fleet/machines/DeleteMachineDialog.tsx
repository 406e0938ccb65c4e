import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Skeleton from '@mui/material/Skeleton';
import Box from '@mui/material/Box';
import { useSnackbar } from 'notistack';
import { errorMessage, machines, type Machine } from '../../../bridge';
import { formatBytes, plural, pluralNoun } from '../../../lib/format';
import { machineKeys } from './queries';

const TABLE_LABELS: Record<string, [string, string]> = {
  machines: ['machine record', 'machine records'],
  machine_stages: ['workflow stage row', 'workflow stage rows'],
  gan_training_jobs: ['TVAE training run', 'TVAE training runs'],
  jobs: ['job record', 'job records'],
  model_versions: ['model version', 'model versions'],
  predictions: ['stored prediction', 'stored predictions'],
  explanations: ['AI explanation', 'AI explanations'],
};

/** Confirms deleting a machine, saying exactly what will be removed (Machines.DeletePreview). */
export function DeleteMachineDialog({ machine, onClose }: { machine: Machine | null; onClose: () => void }) {
  const open = machine !== null;
  const id = machine?.machine_id ?? '';
  const client = useQueryClient();
  const { enqueueSnackbar } = useSnackbar();
  const preview = useQuery({ queryKey: ['delete-preview', id], queryFn: () => machines.deletePreview(id), enabled: open, staleTime: 0 });
  const del = useMutation({
    mutationFn: () => machines.delete(id),
    onSuccess: (rep) => {
      enqueueSnackbar(`Deleted ${rep.machine_id}: ${plural(rep.files, 'file')} (${formatBytes(rep.bytes)}) removed`, { variant: 'success' });
      onClose();
      client.removeQueries({ queryKey: ['delete-preview', rep.machine_id] });
      void client.invalidateQueries({ queryKey: machineKeys.all });
    },
  });
  const rows = preview.data ? Object.entries(preview.data.rows).filter(([, n]) => n > 0) : [];
  return (
    <Dialog open={open} onClose={del.isPending ? undefined : onClose} aria-labelledby="delete-machine-title" maxWidth="sm" fullWidth>
      <DialogTitle id="delete-machine-title">Delete {machine?.name || id}?</DialogTitle>
      <DialogContent>
        <DialogContentText>
          This removes the machine <code>{id}</code> and everything PdM Studio holds about it. It cannot be undone; download the profile first if you may need it again.
        </DialogContentText>
        <Box sx={{ mt: 2 }} aria-live="polite">
          {preview.isPending && <Skeleton variant="rounded" height={96} />}
          {preview.error && <Alert severity="error">Could not list what would be removed: {errorMessage(preview.error)}</Alert>}
          {preview.data && (
            <Box component="ul" aria-label="What will be removed" sx={{ m: 0, pl: 2.5, '& li': { py: 0.25 } }}>
              <li>
                <strong>{preview.data.files}</strong> {pluralNoun(preview.data.files, 'file')} ({formatBytes(preview.data.bytes)}: profile, datasets, models) in the folder{' '}
                <code style={{ wordBreak: 'break-all' }}>{preview.data.folder}</code>
              </li>
              {rows.map(([table, n]) => (
                <li key={table}>
                  <strong>{n}</strong> {TABLE_LABELS[table]?.[n === 1 ? 0 : 1] ?? `rows of ${table}`}
                </li>
              ))}
            </Box>
          )}
          {del.error && (
            <Alert severity="error" sx={{ mt: 2 }}>
              {errorMessage(del.error)}
            </Alert>
          )}
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={del.isPending}>
          Cancel
        </Button>
        <Button color="error" variant="contained" onClick={() => del.mutate()} disabled={!preview.data || del.isPending}>
          {del.isPending ? 'Deleting…' : 'Delete machine'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
