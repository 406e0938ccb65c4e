import { useState } from 'react';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import ContentCopyRounded from '@mui/icons-material/ContentCopyRounded';
import CheckRounded from '@mui/icons-material/CheckRounded';

/** Copies a value (a path, an id) to the clipboard, with a brief confirmation. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setDone(true);
      setTimeout(() => setDone(false), 1500);
    } catch {
      setDone(false);
    }
  };
  return (
    <Tooltip title={done ? 'Copied' : `Copy ${label}`}>
      <IconButton size="small" aria-label={`Copy ${label}`} onClick={() => void copy()} sx={{ ml: 0.5 }}>
        {done ? <CheckRounded fontSize="inherit" color="success" /> : <ContentCopyRounded fontSize="inherit" />}
      </IconButton>
    </Tooltip>
  );
}
