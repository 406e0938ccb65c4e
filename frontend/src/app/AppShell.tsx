import { Suspense, useEffect, useRef } from 'react';
import { Outlet, useLocation } from 'react-router';
import { Sidebar } from '../components/shell/Sidebar';
import { Header } from '../components/shell/Header';
import { ShellStyles } from '../components/shell/shellStyles';
import { JobCenter } from '../components/jobs/JobCenter';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { PageSkeleton } from '../components/PageSkeleton';
import { useJobsSync } from './useJobsSync';
import { useThemeSync } from '../theme/useThemeMode';

/**
 * Sidebar + header + the current page + the job center. Every route renders inside it. The frame is
 * plain elements styled by one stylesheet per theme (ShellStyles): it is on every start's first paint.
 */
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
    <div data-testid="app-shell" className="pdm-shell">
      <ShellStyles />
      <SkipLink />
      <Sidebar />
      <div className="pdm-shell__col">
        <Header />
        <main id="main-content" ref={mainRef} tabIndex={-1} className="pdm-shell__main">
          <ErrorBoundary key={pathname}>
            <Suspense fallback={<PageSkeleton />}>
              <Outlet />
            </Suspense>
          </ErrorBoundary>
        </main>
      </div>
      <JobCenter />
    </div>
  );
}

function SkipLink() {
  return (
    <a
      href="#main-content"
      className="pdm-skip"
      onClick={(e) => {
        e.preventDefault();
        document.getElementById('main-content')?.focus();
      }}
    >
      Skip to main content
    </a>
  );
}
