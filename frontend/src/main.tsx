// The app, loaded by boot.ts (the page's first script) after the landing page's requests started
// and, on the dashboard, after its first paint (prepaint/).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createQueryClient } from './app/queryClient';
import { warmLanding } from './app/landing';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
const queryClient = createQueryClient();
// The first render waits (briefly, bounded) for the landing page's chunk and data: see warmLanding.
void warmLanding(queryClient, window.location.hash).then(() =>
  createRoot(root).render(
    <StrictMode>
      <App queryClient={queryClient} />
    </StrictMode>,
  ),
);
