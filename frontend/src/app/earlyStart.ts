// Side effect only: main.tsx imports this first, so the landing page's requests start before the
// rest of the entry is evaluated (see early.ts).
import { beginEarly } from './early';

beginEarly(window.location.hash);
