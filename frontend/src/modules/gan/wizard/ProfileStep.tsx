// Step 1: the machine profile — from a template or an uploaded file, edited in a form that the
// backend validates as you type, then created (or, for an existing machine, saved).
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import CheckCircle from '@mui/icons-material/CheckCircle';
import UploadFileOutlined from '@mui/icons-material/UploadFileOutlined';
import { useSnackbar } from 'notistack';
import {
  errorMessage,
  fileToData,
  isApiError,
  machines,
  templates,
  type FieldError,
  type MachineDetail,
  type MachineProfile,
  type MachineTypeInfo,
} from '../../../bridge';
import { DownloadMenuButton } from '../../fleet/machines/DownloadProfileButton';
import { machineKeys, useMachineList } from '../../fleet/machines/queries';
import { plural } from '../../../lib/format';
import { FieldErrors } from './fieldErrors';
import { ProfileForm } from './ProfileForm';
import { suggestMachineId } from './steps';

const ACCEPT = '.json,.yaml,.yml,.xlsx';

export interface ProfileStepProps {
  types: MachineTypeInfo[];
  /** The machine being onboarded, once created. */
  detail?: MachineDetail;
  onCreated: (machineId: string) => void;
  onContinue: () => void;
}

export function ProfileStep({ types, detail, onCreated, onContinue }: ProfileStepProps) {
  const client = useQueryClient();
  const { enqueueSnackbar } = useSnackbar();
  const existing = useMachineList();
  const [source, setSource] = useState<'template' | 'upload'>('template');
  const [type, setType] = useState<string>('');
  const [draft, setDraft] = useState<MachineProfile | null>(detail?.profile ?? null);
  const [errors, setErrors] = useState(new FieldErrors());
  const [validating, setValidating] = useState(false);
  const [saving, setSaving] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [upload, setUpload] = useState<{ name: string; errors: FieldError[]; message?: string } | null>(null);
  const [dirty, setDirty] = useState(false);
  const editingId = detail?.machine.machine_id ?? '';

  useEffect(() => {
    if (detail) setDraft(detail.profile);
  }, [detail]);

  // Validate the draft with the backend as it changes (debounced), for inline field errors.
  const seq = useRef(0);
  useEffect(() => {
    if (!draft) return;
    const my = ++seq.current;
    setValidating(true);
    const t = setTimeout(() => {
      machines
        .validateProfile(draft, editingId)
        .then((r) => {
          if (my === seq.current) setErrors(new FieldErrors(r.errors));
        })
        .catch((e) => {
          if (my === seq.current) setErrors(new FieldErrors(isApiError(e) ? e.fields : [{ field: 'profile', message: errorMessage(e) }]));
        })
        .finally(() => {
          if (my === seq.current) setValidating(false);
        });
    }, 350);
    return () => clearTimeout(t);
  }, [draft, editingId]);

  const taken = () => new Set((existing.data ?? []).map((m) => m.machine_id));

  const pickTemplate = async (t: string) => {
    setType(t);
    setLoadError(null);
    setUpload(null);
    try {
      const p = await templates.get(t);
      setDraft({ ...p, machine_id: suggestMachineId(p.machine_id, taken()) });
      setDirty(false);
    } catch (e) {
      setLoadError(`Could not load the ${t} template: ${errorMessage(e)}`);
    }
  };

  const onFile = async (file: File) => {
    setLoadError(null);
    setType('');
    try {
      const data = await fileToData(file);
      const r = await machines.validateFile(data);
      setUpload({ name: file.name, errors: r.errors, message: r.message });
      if (r.profile) {
        setDraft({ ...r.profile, sensors: r.profile.sensors ?? [], regimes: r.profile.regimes ?? [], failure_modes: r.profile.failure_modes ?? [] });
        setErrors(new FieldErrors(r.errors));
        setDirty(true);
      } else {
        setDraft(null);
      }
    } catch (e) {
      setUpload({ name: file.name, errors: isApiError(e) ? e.fields : [], message: errorMessage(e) });
      setDraft(null);
    }
  };

  const change = (p: MachineProfile) => {
    setDraft(p);
    setDirty(true);
  };

  const save = async () => {
    if (!draft) return;
    setSaving(true);
    try {
      if (detail) {
        await machines.update(editingId, draft);
        enqueueSnackbar('Profile saved. Run the later steps again so their data follows it.', { variant: 'success' });
        setDirty(false);
        void client.invalidateQueries({ queryKey: machineKeys.all });
      } else {
        const m = await machines.create(draft);
        enqueueSnackbar(`Machine ${m.machine_id} created`, { variant: 'success' });
        void client.invalidateQueries({ queryKey: machineKeys.all });
        onCreated(m.machine_id);
      }
    } catch (e) {
      if (isApiError(e) && e.fields.length > 0) {
        setErrors(new FieldErrors(e.fields));
        enqueueSnackbar(`${e.message} — see the highlighted fields`, { variant: 'error' });
      } else enqueueSnackbar(errorMessage(e), { variant: 'error' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack spacing={2.5}>
      {!detail && (
        <Card variant="outlined">
          <Tabs value={source} onChange={(_, v) => setSource(v)} aria-label="Where the profile comes from" sx={{ px: 2, borderBottom: 1, borderColor: 'divider' }}>
            <Tab value="template" label="Start from a template" />
            <Tab value="upload" label="Upload a profile file" />
          </Tabs>
          <Box sx={{ p: 2 }}>
            {source === 'template' ? (
              <TemplatePicker types={types} selected={type} onPick={(t) => void pickTemplate(t)} />
            ) : (
              <FileDrop onFile={(f) => void onFile(f)} />
            )}
            {loadError && (
              <Alert severity="error" sx={{ mt: 2 }}>
                {loadError}
              </Alert>
            )}
            {upload && <UploadResult upload={upload} decoded={!!draft} fixed={!!draft && !validating && errors.size === 0} />}
          </Box>
        </Card>
      )}

      {draft ? (
        <>
          <ProfileForm profile={draft} onChange={change} errors={errors} types={types} editing={!!detail} />
          <Card variant="outlined" sx={{ position: 'sticky', bottom: 8, zIndex: 2, p: 1.5 }}>
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
              <Box sx={{ flex: 1, minWidth: 220 }} aria-live="polite">
                {validating ? (
                  <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                    <CircularProgress size={16} aria-label="Checking the profile" />
                    <Typography variant="body2" color="text.secondary">
                      Checking…
                    </Typography>
                  </Stack>
                ) : errors.size === 0 ? (
                  <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                    <CheckCircle fontSize="small" color="success" />
                    <Typography variant="body2">The profile is valid.</Typography>
                  </Stack>
                ) : (
                  <Typography variant="body2" color="error" sx={{ fontWeight: 600 }} data-testid="profile-error-count">
                    {plural(errors.size, 'problem')} to fix — see the highlighted fields.
                  </Typography>
                )}
              </Box>
              {type && !detail && <DownloadMenuButton label="Download template" fetch={(f) => templates.download(type, f)} />}
              {detail && <DownloadMenuButton label="Download profile" fetch={(f) => machines.downloadProfile(editingId, f)} />}
              {detail ? (
                <>
                  <Button variant="outlined" onClick={() => void save()} disabled={!dirty || saving || errors.size > 0}>
                    {saving ? 'Saving…' : 'Save changes'}
                  </Button>
                  <Button variant="contained" onClick={onContinue} disabled={dirty}>
                    Continue to seed data
                  </Button>
                </>
              ) : (
                <Button variant="contained" onClick={() => void save()} disabled={saving}>
                  {saving ? 'Creating…' : 'Create machine and continue'}
                </Button>
              )}
            </Stack>
          </Card>
        </>
      ) : (
        !upload && (
          <Typography variant="body2" color="text.secondary">
            Pick the type of machine above to start from its template — every field comes filled with typical values you can then adjust — or upload a
            profile you already have.
          </Typography>
        )
      )}
    </Stack>
  );
}

function TemplatePicker({ types, selected, onPick }: { types: MachineTypeInfo[]; selected: string; onPick: (t: string) => void }) {
  return (
    <Box>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
        Choose the kind of machine. Its template fills in typical sensors, ranges, operating regimes and failure modes.
      </Typography>
      <Box role="radiogroup" aria-label="Machine type" sx={{ display: 'grid', gap: 1.25, gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))' }}>
        {types.map((t) => {
          const on = t.type === selected;
          return (
            <Card
              key={t.type}
              variant="outlined"
              sx={(th) => ({
                borderColor: on ? th.palette.primary.main : undefined,
                bgcolor: on ? alpha(th.palette.primary.main, th.palette.mode === 'dark' ? 0.14 : 0.07) : undefined,
              })}
            >
              <CardActionArea role="radio" aria-checked={on} onClick={() => onPick(t.type)} sx={{ p: 1.5, height: '100%' }}>
                <Typography variant="subtitle2" sx={{ fontWeight: 600 }}>
                  {t.label}
                </Typography>
                <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 0.25 }}>
                  {t.description}
                </Typography>
              </CardActionArea>
            </Card>
          );
        })}
      </Box>
    </Box>
  );
}

function FileDrop({ onFile }: { onFile: (f: File) => void }) {
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) onFile(f);
  };
  return (
    <Box
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      data-testid="profile-dropzone"
      sx={(th) => ({
        border: `2px dashed ${over ? th.palette.primary.main : th.palette.divider}`,
        borderRadius: 2,
        p: 4,
        textAlign: 'center',
        bgcolor: over ? alpha(th.palette.primary.main, 0.08) : 'transparent',
        transition: 'background-color 120ms, border-color 120ms',
      })}
    >
      <UploadFileOutlined sx={{ fontSize: 40, color: 'primary.main' }} aria-hidden />
      <Typography variant="subtitle1" sx={{ fontWeight: 600, mt: 1 }}>
        Drop a profile here
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        JSON, YAML or Excel (.xlsx), as downloaded from a template. It is checked before anything is stored.
      </Typography>
      <Button variant="outlined" onClick={() => input.current?.click()}>
        Choose a file…
      </Button>
      <input
        ref={input}
        type="file"
        accept={ACCEPT}
        hidden
        aria-label="Profile file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) onFile(f);
          e.target.value = '';
        }}
      />
    </Box>
  );
}

function UploadResult({ upload, decoded, fixed }: { upload: { name: string; errors: FieldError[]; message?: string }; decoded: boolean; fixed: boolean }) {
  if (decoded && fixed && (upload.errors.length > 0 || upload.message)) {
    return (
      <Alert severity="success" sx={{ mt: 2 }}>
        <strong>{upload.name}</strong> had {plural(upload.errors.length || 1, 'problem')}; the profile below has them fixed. Create the machine to store it.
      </Alert>
    );
  }
  if (upload.errors.length === 0 && !upload.message) {
    return (
      <Alert severity="success" sx={{ mt: 2 }}>
        <strong>{upload.name}</strong> is a valid profile. Review it below, then create the machine.
      </Alert>
    );
  }
  return (
    <Alert severity="error" sx={{ mt: 2 }} data-testid="upload-errors">
      <AlertTitle>
        {upload.name}: {upload.message || 'the profile has problems'}
      </AlertTitle>
      {decoded ? (
        'Fix the highlighted fields below, or correct the file and upload it again.'
      ) : (
        <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
          {upload.errors.map((f) => (
            <li key={`${f.field}:${f.message}`}>
              <code>{f.field}</code>: {f.message}
            </li>
          ))}
        </Box>
      )}
    </Alert>
  );
}
