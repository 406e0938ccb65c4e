import { render } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import { App } from '../app/App';

/** Renders the whole app at a hash route, with a query client that does not retry. */
export function renderApp(path = '/') {
  window.location.hash = `#${path}`;
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } } });
  const utils = render(<App queryClient={client} />);
  return { ...utils, client };
}
