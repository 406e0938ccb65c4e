import { useState } from 'react';
import IconButton from '@mui/material/IconButton';
import Button from '@mui/material/Button';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Tooltip from '@mui/material/Tooltip';
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import { useSnackbar } from 'notistack';
import { errorMessage, saveFileData, type FileData, type ProfileFormat } from '../../../bridge';

export const FORMAT_LABELS: Record<ProfileFormat, string> = { json: 'JSON', yaml: 'YAML', xlsx: 'Excel (XLSX)' };

/**
 * A download button with a JSON / YAML / Excel menu. fetch returns the file for a format
 * (Machines.DownloadProfile or Templates.Download).
 */
export function DownloadMenuButton({
  label,
  fetch,
  icon = false,
  disabled = false,
}: {
  label: string;
  fetch: (format: ProfileFormat) => Promise<FileData>;
  icon?: boolean;
  disabled?: boolean;
}) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const { enqueueSnackbar } = useSnackbar();
  const pick = async (format: ProfileFormat) => {
    setAnchor(null);
    try {
      saveFileData(await fetch(format));
    } catch (e) {
      enqueueSnackbar(`Download failed: ${errorMessage(e)}`, { variant: 'error' });
    }
  };
  return (
    <>
      {icon ? (
        <Tooltip title={label}>
          <span>
            <IconButton aria-label={label} onClick={(e) => setAnchor(e.currentTarget)} disabled={disabled} size="small" aria-haspopup="menu">
              <FileDownloadOutlined fontSize="small" />
            </IconButton>
          </span>
        </Tooltip>
      ) : (
        <Button startIcon={<FileDownloadOutlined />} onClick={(e) => setAnchor(e.currentTarget)} disabled={disabled} aria-haspopup="menu" variant="outlined" size="small">
          {label}
        </Button>
      )}
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        {(Object.keys(FORMAT_LABELS) as ProfileFormat[]).map((f) => (
          <MenuItem key={f} onClick={() => void pick(f)}>
            {FORMAT_LABELS[f]}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
