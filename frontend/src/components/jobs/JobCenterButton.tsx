import Badge from '@mui/material/Badge';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import WorkHistoryOutlined from '@mui/icons-material/WorkHistoryOutlined';
import { selectActiveCount, useJobsStore } from '../../store/jobs';
import { useUiStore } from '../../store/ui';

export function JobCenterButton() {
  const active = useJobsStore(selectActiveCount);
  const setOpen = useUiStore((s) => s.setJobCenterOpen);
  const open = useUiStore((s) => s.jobCenterOpen);
  const label = active > 0 ? `Job center: ${active} active ${active === 1 ? 'job' : 'jobs'}` : 'Job center';
  return (
    <Tooltip title={label}>
      <IconButton
        onClick={() => setOpen(true)}
        aria-label={label}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? 'job-center' : undefined}
        sx={{ color: 'text.secondary' }}
      >
        <Badge
          badgeContent={active > 0 ? active : undefined}
          invisible={active === 0}
          max={99}
          color="primary"
          overlap="circular"
          sx={{ '& .MuiBadge-badge': { fontWeight: 700, background: (t) => t.palette.surface.gradient } }}
        >
          <WorkHistoryOutlined />
        </Badge>
      </IconButton>
    </Tooltip>
  );
}
