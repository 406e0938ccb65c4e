import { useMemo } from 'react';
import Box from '@mui/material/Box';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import CloseRounded from '@mui/icons-material/CloseRounded';
import WorkHistoryOutlined from '@mui/icons-material/WorkHistoryOutlined';
import { useQueryClient, useIsFetching } from '@tanstack/react-query';
import RefreshRounded from '@mui/icons-material/RefreshRounded';
import CircularProgress from '@mui/material/CircularProgress';
import { isActive, selectJobs, sortJobs, useJobsStore } from '../../store/jobs';
import { useUiStore } from '../../store/ui';
import { queryKeys } from '../../hooks/queries';
import { useNow } from '../../hooks/useNow';
import { EmptyState } from '../EmptyState';
import { JobCard } from './JobCard';

const RECENT_LIMIT = 30;

/** The right-hand drawer listing running and recent jobs, live. */
export function JobCenter() {
  const open = useUiStore((s) => s.jobCenterOpen);
  const setOpen = useUiStore((s) => s.setJobCenterOpen);
  return (
    <Drawer
      anchor="right"
      open={open}
      onClose={() => setOpen(false)}
      slotProps={{
        paper: {
          id: 'job-center',
          role: 'dialog',
          'aria-labelledby': 'job-center-title',
          sx: { width: { xs: '100%', sm: 440 }, bgcolor: 'background.default' },
        } as object,
      }}
    >
      {open && <JobCenterContent onClose={() => setOpen(false)} />}
    </Drawer>
  );
}

export function JobCenterContent({ onClose }: { onClose: () => void }) {
  const byId = useJobsStore(selectJobs);
  const now = useNow(5_000);
  const client = useQueryClient();
  const fetching = useIsFetching({ queryKey: queryKeys.jobs }) > 0;
  const { active, recent } = useMemo(() => {
    const all = sortJobs(Object.values(byId));
    return { active: all.filter(isActive), recent: all.filter((j) => !isActive(j)).slice(0, RECENT_LIMIT) };
  }, [byId]);

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <Stack
        direction="row"
        sx={{ alignItems: 'center', gap: 1, px: 2.5, height: 64, flexShrink: 0, borderBottom: 1, borderColor: 'divider', bgcolor: 'background.paper' }}
      >
        <WorkHistoryOutlined color="primary" aria-hidden />
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography id="job-center-title" variant="h3" component="h2">
            Jobs
          </Typography>
          <Typography variant="caption" color="text.secondary">
            {active.length} active · {recent.length} recent
          </Typography>
        </Box>
        <Tooltip title="Refresh">
          <span>
            <IconButton aria-label="Refresh jobs" onClick={() => void client.invalidateQueries({ queryKey: queryKeys.jobs })} disabled={fetching}>
              {fetching ? <CircularProgress size={18} /> : <RefreshRounded />}
            </IconButton>
          </span>
        </Tooltip>
        <Tooltip title="Close">
          <IconButton aria-label="Close job center" onClick={onClose}>
            <CloseRounded />
          </IconButton>
        </Tooltip>
      </Stack>

      <Box sx={{ flex: 1, overflowY: 'auto', px: 2, py: 2 }}>
        {active.length === 0 && recent.length === 0 ? (
          <EmptyState
            dense
            icon={WorkHistoryOutlined}
            title="No jobs yet"
            description="Long tasks such as seed data generation, model training and report generation run here in the background, with progress, time left and a cancel button. They keep running while you use other pages."
          />
        ) : (
          <Stack spacing={3}>
            <JobSection title="Active" count={active.length} empty="Nothing is running right now.">
              {active.map((j) => (
                <JobCard key={j.id} job={j} now={now} />
              ))}
            </JobSection>
            <JobSection title="Recent" count={recent.length} empty="No finished jobs yet.">
              {recent.map((j) => (
                <JobCard key={j.id} job={j} now={now} />
              ))}
            </JobSection>
          </Stack>
        )}
      </Box>
    </Box>
  );
}

function JobSection({ title, count, empty, children }: { title: string; count: number; empty: string; children: React.ReactNode }) {
  return (
    <Box component="section" aria-label={`${title} jobs`}>
      <Typography variant="overline" color="text.secondary" component="h3" sx={{ display: 'block', mb: 1 }}>
        {title} {count > 0 && `(${count})`}
      </Typography>
      {count === 0 ? (
        <Typography variant="body2" color="text.secondary" sx={{ px: 0.5 }}>
          {empty}
        </Typography>
      ) : (
        <Stack spacing={1.5} component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }}>
          {children}
        </Stack>
      )}
    </Box>
  );
}
