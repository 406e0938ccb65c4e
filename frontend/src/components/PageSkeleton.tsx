import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';

/** Shown while a page's code chunk loads. Roughly the shape of a page, so nothing jumps. */
export function PageSkeleton() {
  return (
    <Box role="status" aria-label="Loading page" sx={{ display: 'flex', flexDirection: 'column', gap: 3 }}>
      <Box>
        <Skeleton variant="text" width={240} height={38} />
        <Skeleton variant="text" width="min(520px, 80%)" />
      </Box>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'repeat(3, 1fr)' } }}>
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} variant="rounded" height={120} />
        ))}
      </Box>
      <Stack spacing={1}>
        <Skeleton variant="rounded" height={220} />
      </Stack>
    </Box>
  );
}

/** A few label/value rows, for cards whose data is loading. */
export function RowsSkeleton({ rows = 3 }: { rows?: number }) {
  return (
    <Stack spacing={1.25} role="status" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <Stack key={i} direction="row" spacing={2}>
          <Skeleton variant="text" width={110} />
          <Skeleton variant="text" sx={{ flex: 1 }} />
        </Stack>
      ))}
    </Stack>
  );
}
