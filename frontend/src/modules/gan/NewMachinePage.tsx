// The New Machine wizard: profile → seed data → TVAE training → synthetic data → validation.
// Resumable: the URL holds the machine (#/machines/new?machine=ID&step=N), the backend's workflow
// stages say which steps are done, and running jobs are found again from the machine's job list,
// so leaving and coming back — or reopening from the Machines page — continues where it stopped.
import { useEffect, useMemo } from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import Skeleton from '@mui/material/Skeleton';
import Step from '@mui/material/Step';
import StepButton from '@mui/material/StepButton';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Typography from '@mui/material/Typography';
import { isApiError } from '../../bridge';
import { Page } from '../../components/Page';
import { ErrorState } from '../../components/ErrorState';
import { useMachineDetail, useMachineList, useMachineTypes } from '../fleet/machines/queries';
import { needsOnboarding, stageCaption } from '../fleet/machines/stages';
import { STEPS, reachableStep, resumeStep, stepState } from './wizard/steps';
import { useMachineJobsSeed } from './wizard/useMachineJob';
import { ProfileStep } from './wizard/ProfileStep';
import { SeedStep } from './wizard/SeedStep';
import { TrainStep } from './wizard/TrainStep';
import { GenerateStep } from './wizard/GenerateStep';
import { ValidateStep } from './wizard/ValidateStep';

const LAST_KEY = 'pdm.wizard.machine';

export function NewMachinePage() {
  const [params, setParams] = useSearchParams();
  const machineId = params.get('machine');
  const stepParam = params.get('step');
  const types = useMachineTypes();
  const detail = useMachineDetail(machineId);
  useMachineJobsSeed(machineId);
  const m = detail.data?.machine;

  useEffect(() => {
    if (machineId && m) localStorage.setItem(LAST_KEY, machineId);
  }, [machineId, m]);

  const reachable = reachableStep(m);
  const step = useMemo(() => {
    if (!machineId) return 0;
    if (!m) return -1;
    const wanted = stepParam === null ? resumeStep(m) : Number(stepParam);
    return Number.isInteger(wanted) ? Math.max(0, Math.min(wanted, reachable)) : resumeStep(m);
  }, [machineId, m, stepParam, reachable]);

  const go = (i: number, id = machineId) => {
    const next = new URLSearchParams();
    if (id) next.set('machine', id);
    next.set('step', String(i));
    setParams(next);
    window.scrollTo?.({ top: 0 });
  };

  const title = 'New Machine';
  const description = m
    ? `Onboarding ${m.name || m.machine_id}. Each step runs in the background; you can leave and come back to continue.`
    : 'Onboard a machine in five guided steps, from its profile to validated synthetic training data.';

  return (
    <Page
      title={title}
      description={description}
      actions={
        <>
          {m && <Chip label={m.machine_id} variant="outlined" sx={{ fontFamily: 'monospace' }} />}
          {machineId && (
            <Button component={RouterLink} to="/machines/new" variant="outlined">
              Start another
            </Button>
          )}
          <Button component={RouterLink} to="/machines">
            All machines
          </Button>
        </>
      }
    >
      <Card variant="outlined" sx={{ px: 2, py: 2 }}>
        <Stepper nonLinear activeStep={Math.max(0, step)} alternativeLabel aria-label="Onboarding steps">
          {STEPS.map((s, i) => {
            const state = stepState(m, s);
            const canOpen = !!m && i <= reachable && i !== step;
            const caption = state === 'running' ? 'running…' : state === 'failed' ? 'failed' : state === 'done' && m ? 'done' : s.hint;
            return (
              <Step key={s.key} completed={!!m && state === 'done'}>
                <StepButton
                  disabled={!canOpen}
                  onClick={() => go(i)}
                  aria-current={i === step ? 'step' : undefined}
                  optional={
                    <Typography variant="caption" color={state === 'failed' ? 'error' : 'text.secondary'} sx={{ display: { xs: 'none', md: 'block' } }}>
                      {caption}
                    </Typography>
                  }
                >
                  <StepLabel error={state === 'failed'}>{s.label}</StepLabel>
                </StepButton>
              </Step>
            );
          })}
        </Stepper>
      </Card>

      {!machineId && <ResumeBanner />}

      {machineId && detail.error ? (
        isApiError(detail.error) && detail.error.code === 'not_found' ? (
          <Alert severity="warning" action={<Button component={RouterLink} to="/machines/new" color="inherit">Start a new machine</Button>}>
            Machine <code>{machineId}</code> does not exist (it may have been deleted).
          </Alert>
        ) : (
          <ErrorState error={detail.error} what={`load machine ${machineId}`} onRetry={() => void detail.refetch()} />
        )
      ) : step < 0 || types.isPending ? (
        <Skeleton variant="rounded" height={420} role="status" aria-label="Loading the wizard" />
      ) : types.error ? (
        <ErrorState error={types.error} what="load the machine types" onRetry={() => void types.refetch()} />
      ) : (
        <Box component="section" aria-label={`Step ${step + 1} of 5: ${STEPS[step]?.label ?? ''}`}>
          <Typography variant="h2" component="h2" sx={{ mb: 2 }}>
            Step {step + 1} of 5 · {STEPS[step]?.label}
          </Typography>
          {step === 0 && (
            <ProfileStep
              types={types.data ?? []}
              detail={detail.data}
              onCreated={(id) => go(1, id)}
              onContinue={() => go(1)}
            />
          )}
          {step === 1 && detail.data && <SeedStep detail={detail.data} onContinue={() => go(2)} />}
          {step === 2 && detail.data && <TrainStep detail={detail.data} onContinue={() => go(3)} />}
          {step === 3 && detail.data && <GenerateStep detail={detail.data} onContinue={() => go(4)} />}
          {step === 4 && detail.data && <ValidateStep detail={detail.data} />}
        </Box>
      )}
    </Page>
  );
}

/** "Training TVAE…" → "training TVAE…" for mid-sentence use; "TVAE trained" keeps its acronym. */
function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

/** Offers to continue the machine last onboarded here, when it is not finished. */
function ResumeBanner() {
  const list = useMachineList();
  const last = typeof localStorage !== 'undefined' ? localStorage.getItem(LAST_KEY) : null;
  const m = list.data?.find((x) => x.machine_id === last);
  if (!m || !needsOnboarding(m)) return null;
  const running = m.stages.find((s) => s.state === 'running');
  return (
    <Alert
      severity="info"
      action={
        <Button component={RouterLink} to={`/machines/new?machine=${encodeURIComponent(m.machine_id)}`} color="inherit">
          Continue
        </Button>
      }
    >
      {running
        ? `${m.name || m.machine_id} is still being onboarded — ${lowerFirst(stageCaption(m))}`
        : `${m.name || m.machine_id} is not fully onboarded yet — ${lowerFirst(stageCaption(m))}.`}{' '}
      Continue where you stopped, or start a new machine below.
    </Alert>
  );
}
