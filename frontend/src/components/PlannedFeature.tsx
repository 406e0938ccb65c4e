import type { ComponentType, ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import Link from '@mui/material/Link';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { SvgIconProps } from '@mui/material/SvgIcon';
import { alpha } from '@mui/material/styles';
import CheckCircleOutline from '@mui/icons-material/CheckCircleOutline';
import ScheduleRounded from '@mui/icons-material/ScheduleRounded';
import { useDoctor } from '../hooks/queries';
import { StateChip } from './StatusChip';
import { runtimeLabel } from '../lib/runtimes';
import { statusText } from '../theme/theme';

export interface PlannedFeatureProps {
  icon: ComponentType<SvgIconProps>;
  /** One or two sentences: what the page is for. */
  summary: ReactNode;
  /** What the page will let the user do, one line each. */
  capabilities: string[];
  /** Runtime libraries the feature needs; their real status is shown from System.Doctor. */
  runtimes?: string[];
  /** Related pages (planned or not); listed apart from what works in this build. */
  related?: { to: string; label: string }[];
}

/**
 * The honest state of a page whose capability is not in this build: what it will do, that it is
 * not available yet, and what is real already. Never sample data.
 */
export function PlannedFeature({ icon: Icon, summary, capabilities, runtimes = [], related = [] }: PlannedFeatureProps) {
  return (
    <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 2fr) minmax(280px, 1fr)' }, alignItems: 'start' }}>
      <Card>
        <CardContent sx={{ p: { xs: 3, md: 4 } }}>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={3} sx={{ alignItems: { sm: 'flex-start' } }}>
            <Box
              aria-hidden
              sx={(t) => ({
                flexShrink: 0,
                width: 64,
                height: 64,
                borderRadius: '18px',
                display: 'grid',
                placeItems: 'center',
                color: '#fff',
                background: t.palette.surface.gradient,
                boxShadow: `0 8px 24px ${alpha('#667eea', 0.3)}`,
              })}
            >
              <Icon sx={{ fontSize: 32 }} />
            </Box>
            <Box sx={{ minWidth: 0 }}>
              <Chip
                icon={<ScheduleRounded />}
                label="Not available in this build yet"
                size="small"
                variant="outlined"
                sx={(t) => ({ color: statusText(t, t.palette.status.degrading), borderColor: alpha(t.palette.status.degrading, 0.5), '& .MuiChip-icon': { color: 'inherit' } })}
              />
              <Typography variant="h2" component="h2" sx={{ mt: 1.5 }}>
                What this page will do
              </Typography>
              <Typography variant="body1" color="text.secondary" sx={{ mt: 1 }}>
                {summary}
              </Typography>
              <List dense disablePadding sx={{ mt: 2 }} aria-label="Planned capabilities">
                {capabilities.map((c) => (
                  <ListItem key={c} disableGutters sx={{ alignItems: 'flex-start', py: 0.5 }}>
                    <ListItemIcon sx={{ minWidth: 30, mt: '3px', color: 'primary.main' }}>
                      <CheckCircleOutline fontSize="small" />
                    </ListItemIcon>
                    <ListItemText primary={c} slotProps={{ primary: { variant: 'body2' } }} />
                  </ListItem>
                ))}
              </List>
              <Divider sx={{ my: 2.5 }} />
              <Typography variant="body2" color="text.secondary">
                This page is part of the plan but its engine is not in this build, so it shows no data
                rather than sample numbers. It will light up here once the capability ships.
              </Typography>
            </Box>
          </Stack>
        </CardContent>
      </Card>
      <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', sm: runtimes.length > 0 ? 'repeat(2, minmax(0, 1fr))' : '1fr', lg: '1fr' }, alignItems: 'start' }}>
        {runtimes.length > 0 && <RuntimeReadiness names={runtimes} />}
        <Card>
          <CardContent>
            {related.length > 0 && (
              <>
                <Typography variant="overline" color="text.secondary" component="h3">
                  Related pages
                </Typography>
                <Stack spacing={1} sx={{ mt: 0.5, mb: 2 }}>
                  {related.map((r) => (
                    <Link key={r.to} component={RouterLink} to={r.to} underline="hover" variant="body2" sx={{ fontWeight: 500 }}>
                      {r.label}
                    </Link>
                  ))}
                </Stack>
              </>
            )}
            <Typography variant="overline" color="text.secondary" component="h3">
              Available in this build
            </Typography>
            <Stack spacing={1} sx={{ mt: 0.5 }}>
              <Link component={RouterLink} to="/system" underline="hover" variant="body2" sx={{ fontWeight: 500 }}>
                System report: versions, database and runtime libraries
              </Link>
              <Link component={RouterLink} to="/settings" underline="hover" variant="body2" sx={{ fontWeight: 500 }}>
                Settings: colour theme
              </Link>
              <Typography variant="body2" color="text.secondary">
                Background jobs appear in the Job center (header, top right).
              </Typography>
            </Stack>
          </CardContent>
        </Card>
      </Box>
    </Box>
  );
}

/** The real load status of the runtime libraries a feature depends on. */
function RuntimeReadiness({ names }: { names: string[] }) {
  const { data, isLoading, isError } = useDoctor();
  return (
    <Card>
      <CardContent>
        <Typography variant="overline" color="text.secondary" component="h3">
          Runtime readiness
        </Typography>
        <Stack spacing={1.25} sx={{ mt: 1 }}>
          {names.map((name) => {
            const rt = data?.runtimes.find((r) => r.name === name);
            return (
              <Stack key={name} direction="row" spacing={1} sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
                <Typography variant="body2" sx={{ fontWeight: 500 }}>
                  {runtimeLabel(name)}
                </Typography>
                {isLoading ? (
                  <Skeleton width={80} />
                ) : isError || !rt ? (
                  <StateChip label="Unknown" tone="neutral" />
                ) : rt.loaded ? (
                  <StateChip label={rt.version ? `Loaded · ${rt.version}` : 'Loaded'} tone="healthy" />
                ) : (
                  <StateChip label="Not loaded" tone="critical" />
                )}
              </Stack>
            );
          })}
        </Stack>
        <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1.5 }}>
          Live status from this installation. Details on the{' '}
          <Link component={RouterLink} to="/system">
            System
          </Link>{' '}
          page.
        </Typography>
      </CardContent>
    </Card>
  );
}
