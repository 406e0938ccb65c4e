// First: starts the landing page's requests before the rest of the entry is evaluated.
import './app/earlyStart';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@fontsource-variable/inter/wght.css';
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
