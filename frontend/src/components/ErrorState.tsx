import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import Box from '@mui/material/Box';
import { isApiError } from '../bridge';

export interface ErrorStateProps {
  error: unknown;
  /** What was being done, e.g. "load the system report". */
  what?: string;
  onRetry?: () => void;
}

/** A failed query: the human sentence, the detail and code, and a retry button. */
export function ErrorState({ error, what, onRetry }: ErrorStateProps) {
  const api = isApiError(error) ? error : null;
  const title = api ? api.title : 'Something went wrong';
  const detail = error instanceof Error ? error.message : String(error);
  return (
    <Alert
      severity="error"
      variant="outlined"
      action={
        onRetry && (
          <Button color="inherit" size="small" onClick={onRetry}>
            Try again
          </Button>
        )
      }
    >
      <AlertTitle>{what ? `Could not ${what}` : title}</AlertTitle>
      {what && <Box component="span">{title}. </Box>}
      <Box component="span" sx={{ wordBreak: 'break-word' }}>
        {detail}
      </Box>
      {api && api.fields.length > 0 && (
        <Box component="ul" sx={{ m: 0, mt: 1, pl: 2.5 }}>
          {api.fields.map((f) => (
            <li key={f.field}>
              <code>{f.field}</code>: {f.message}
            </li>
          ))}
        </Box>
      )}
      {api && (
        <Box component="div" sx={{ mt: 0.5, opacity: 0.7, fontSize: 12 }}>
          Error code: <code>{api.code}</code>
          {api.status !== undefined && <> · HTTP {api.status}</>}
        </Box>
      )}
    </Alert>
  );
}
