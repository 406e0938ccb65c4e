import { Suspense, useEffect, useRef } from 'react';
import { Outlet, useLocation } from 'react-router';
import Box from '@mui/material/Box';
import { Sidebar } from '../components/shell/Sidebar';
import { Header } from '../components/shell/Header';
import { JobCenter } from '../components/jobs/JobCenter';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { PageSkeleton } from '../components/PageSkeleton';
import { useJobsSync } from './useJobsSync';
import { useThemeSync } from '../theme/useThemeMode';

/** Sidebar + header + the current page + the job center. Every route renders inside it. */
export function AppShell() {
  useJobsSync();
  useThemeSync();
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    performance.mark?.('pdm:shell-ready');
  }, []);

  // After navigation, start at the top and move focus to the content, as a page load would.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo({ top: 0 });
    mainRef.current?.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <Box data-testid="app-shell" sx={{ display: 'flex', minHeight: '100vh', bgcolor: 'background.default' }}>
      <SkipLink />
      <Sidebar />
      <Box sx={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
        <Header />
        <Box
          component="main"
          id="main-content"
          ref={mainRef}
          tabIndex={-1}
          sx={{ flex: 1, width: '100%', maxWidth: 1480, mx: 'auto', px: { xs: 2, sm: 3, lg: 4 }, py: { xs: 2.5, md: 3.5 }, outline: 'none' }}
        >
          <ErrorBoundary key={pathname}>
            <Suspense fallback={<PageSkeleton />}>
              <Outlet />
            </Suspense>
          </ErrorBoundary>
        </Box>
      </Box>
      <JobCenter />
    </Box>
  );
}

function SkipLink() {
  return (
    <Box
      component="a"
      href="#main-content"
      onClick={(e: React.MouseEvent) => {
        e.preventDefault();
        document.getElementById('main-content')?.focus();
      }}
      sx={(t) => ({
        position: 'fixed',
        left: 12,
        top: -48,
        zIndex: t.zIndex.tooltip + 1,
        px: 2,
        py: 1,
        borderRadius: 2,
        bgcolor: 'primary.main',
        color: '#fff',
        fontWeight: 600,
        textDecoration: 'none',
        transition: 'top 120ms',
        '&:focus': { top: 12 },
      })}
    >
      Skip to main content
    </Box>
  );
}
