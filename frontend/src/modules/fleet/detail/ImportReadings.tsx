import { useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import UploadFileOutlined from '@mui/icons-material/UploadFileOutlined';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSnackbar } from 'notistack';
import { errorMessage, fileToData, isApiError, telemetry, type MachineProfile, type TelemetryImportResult } from '../../../bridge';
import { formatDateTime } from '../../../lib/format';

/** The largest file the dialog sends (it travels base64 in one call). */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

/**
 * "Import readings": makes a CSV or Parquet file of a machine's real readings its telemetry (the
 * live fleet then predicts on them instead of the replay). Says which columns it needs, what it
 * took, ignored and assumed, and every problem with a refused file; a refused file changes nothing.
 */
export function ImportReadingsButton({ machineId, profile, imported }: { machineId: string; profile: MachineProfile | undefined; imported: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button startIcon={<UploadFileOutlined />} onClick={() => setOpen(true)}>
        Import readings
      </Button>
      {open && <ImportReadingsDialog machineId={machineId} profile={profile} imported={imported} onClose={() => setOpen(false)} />}
    </>
  );
}

function ImportReadingsDialog({ machineId, profile, imported, onClose }: { machineId: string; profile: MachineProfile | undefined; imported: boolean; onClose: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState('');
  const qc = useQueryClient();
  const { enqueueSnackbar } = useSnackbar();
  const upload = useMutation({
    mutationFn: async (f: File) => {
      if (f.size > MAX_IMPORT_BYTES) throw new Error(`${f.name} is ${(f.size / 1024 / 1024).toFixed(0)} MB; the limit is ${MAX_IMPORT_BYTES / 1024 / 1024} MB (the CLI's "telemetry import" takes larger files)`);
      return telemetry.importFile(machineId, await fileToData(f));
    },
    onSuccess: (r) => {
      enqueueSnackbar(`Imported ${r.rows.toLocaleString('en-GB')} readings for ${machineId}`, { variant: 'success' });
      void qc.invalidateQueries({ queryKey: ['models', 'timeline', machineId] });
      void qc.invalidateQueries({ queryKey: ['fleet'] });
    },
  });
  const replay = useMutation({
    mutationFn: () => telemetry.useReplay(machineId),
    onSuccess: () => {
      enqueueSnackbar(`${machineId} replays its data sets again`, { variant: 'success' });
      void qc.invalidateQueries({ queryKey: ['models', 'timeline', machineId] });
      void qc.invalidateQueries({ queryKey: ['fleet'] });
      onClose();
    },
  });
  const busy = upload.isPending || replay.isPending;
  const sensors = (profile?.sensors ?? []).map((s) => s.name);
  const fields = upload.error && isApiError(upload.error) ? upload.error.fields : [];

  return (
    <Dialog open onClose={busy ? undefined : onClose} aria-labelledby="import-readings-title" maxWidth="sm" fullWidth>
      <DialogTitle id="import-readings-title">Import readings</DialogTitle>
      <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
        <Typography variant="body2">
          A CSV or Parquet file of this machine's real readings becomes its telemetry: the live fleet predicts on its latest rows instead of the replay.
        </Typography>
        <Typography variant="body2" color="text.secondary">
          One column per sensor, named as in the profile{sensors.length > 0 ? ': ' : '.'}
          {sensors.length > 0 && <span className="mono">{sensors.join(', ')}</span>}
          {sensors.length > 0 ? '. ' : ' '}A <span className="mono">timestamp</span> column is optional (rows are then taken as evenly spaced); other columns are ignored.
        </Typography>
        {imported && !upload.isSuccess && (
          <Alert
            severity="info"
            action={
              <Button color="inherit" size="small" disabled={busy} onClick={() => replay.mutate()} sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}>
                Replay data sets
              </Button>
            }
          >
            This machine runs on imported readings now. Import another file to replace them, or go back to replaying its data sets (the imported readings are deleted).
          </Alert>
        )}
        {replay.isError && (
          <Alert severity="error" role="alert">
            Could not go back to the replay. {errorMessage(replay.error)}
          </Alert>
        )}
        {upload.isPending && (
          <>
            <Typography variant="body2">Importing {file}…</Typography>
            <LinearProgress aria-label={`Importing ${file}`} />
          </>
        )}
        {upload.isSuccess && <ImportSummary file={file} r={upload.data} />}
        {upload.isError && (
          <Alert severity="error" role="alert">
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              {file} was not imported; nothing changed.
            </Typography>
            <Typography variant="body2">{errorMessage(upload.error)}</Typography>
            {fields.length > 0 && (
              <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                {fields.map((f, i) => (
                  <li key={i}>
                    <Typography variant="body2">{f.message}</Typography>
                  </li>
                ))}
              </ul>
            )}
          </Alert>
        )}
        <input
          ref={input}
          type="file"
          accept=".csv,.parquet"
          hidden
          aria-label="Readings file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (!f) return;
            setFile(f.name);
            upload.mutate(f);
          }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {upload.isSuccess ? 'Done' : 'Cancel'}
        </Button>
        <Button variant="contained" startIcon={<UploadFileOutlined />} disabled={busy} onClick={() => input.current?.click()}>
          {upload.isSuccess || upload.isError ? 'Choose another file…' : 'Choose a file…'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function ImportSummary({ file, r }: { file: string; r: TelemetryImportResult }) {
  return (
    <Alert severity="success" role="status">
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        Imported {r.rows.toLocaleString('en-GB')} readings from {file}
      </Typography>
      <Typography variant="body2">
        {r.sensors.length} sensors, {formatDateTime(r.first)} to {formatDateTime(r.last)}.
        {r.ignored?.length ? ` Ignored columns: ${r.ignored.join(', ')}.` : ''}
      </Typography>
      {(r.notes ?? []).map((n, i) => (
        <Typography key={i} variant="body2" color="text.secondary">
          {n}
        </Typography>
      ))}
    </Alert>
  );
}
