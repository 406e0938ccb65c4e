import { useMemo, useState, type ReactNode } from 'react';
import { HashRouter, Route, Routes } from 'react-router';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { SnackbarProvider } from 'notistack';
import { createAppTheme } from '../theme/theme';
import { useUiStore } from '../store/ui';
import { createQueryClient } from './queryClient';
import { AppShell } from './AppShell';
import { DETAIL_ITEMS, NAV_ITEMS, type NavItem } from './nav';
import { pageFor } from './routes';
import { NotFoundPage } from './NotFoundPage';
import { toastComponents } from '../components/Toasts';

export function App({ queryClient }: { queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <QueryClientProvider client={client}>
      <Themed>
        {/* Hash routing: works from the Wails asset server and any static file server alike. */}
        <HashRouter>
          <AppRoutes />
        </HashRouter>
      </Themed>
    </QueryClientProvider>
  );
}

function Themed({ children }: { children: ReactNode }) {
  const mode = useUiStore((s) => s.themeMode);
  const theme = useMemo(() => createAppTheme(mode), [mode]);
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline enableColorScheme />
      <SnackbarProvider maxSnack={4} anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }} autoHideDuration={5000} Components={toastComponents}>
        {children}
      </SnackbarProvider>
    </ThemeProvider>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<AppShell />}>
        {NAV_ITEMS.map((item) =>
          item.path === '/' ? <Route key={item.path} index element={<LazyPage item={item} />} /> : <Route key={item.path} path={item.path} element={<LazyPage item={item} />} />,
        )}
        {DETAIL_ITEMS.map((item) => (
          <Route key={item.path} path={item.path} element={<LazyPage item={item} />} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

function LazyPage({ item }: { item: NavItem }) {
  const Page = pageFor(item);
  return <Page />;
}
