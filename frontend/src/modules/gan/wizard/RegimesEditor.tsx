// The operating regimes of a profile as an editable table: name, load, share of operating time,
// mean dwell time, description. The shares must add up to 1; the footer says how far off they are.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import DeleteOutline from '@mui/icons-material/DeleteOutline';
import type { ProfileRegime } from '../../../bridge';
import { visuallyHidden } from '../../../theme/theme';
import { CellText, EditorSection, NumberInput } from './inputs';
import { MAX_REGIMES, newRegime } from './profileRules';

export function RegimesEditor({ regimes, onChange, message }: { regimes: ProfileRegime[]; onChange: (r: ProfileRegime[]) => void; message: (field: string) => string | undefined }) {
  const update = (i: number, patch: Partial<ProfileRegime>) => onChange(regimes.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const sum = regimes.reduce((a, r) => a + (Number.isFinite(r.probability) ? r.probability : 0), 0);
  const sumOK = Math.abs(sum - 1) <= 0.01;
  const listError = message('regimes');
  return (
    <EditorSection
      id="regimes-heading"
      title="Operating regimes"
      count={regimes.length}
      description="How the machine is run. Load is a fraction of rated load (0–1.5); the shares of operating time (0–1) add up to 1. Names: lowercase, digits and _."
      addLabel="Add regime"
      addDisabled={regimes.length >= MAX_REGIMES}
      onAdd={() => onChange([...regimes, newRegime(regimes)])}
    >
        <TableContainer tabIndex={0} role="region" aria-label="Regimes, scrollable">
          <Table size="small" aria-label="Regimes" sx={{ '& td, & th': { px: 0.5, py: 0.5 } }}>
            <TableHead>
              <TableRow>
                <TableCell sx={{ width: 200 }}>Name</TableCell>
                <TableCell sx={{ width: 104 }}>Load (× rated)</TableCell>
                <TableCell sx={{ width: 104 }}>Share of time</TableCell>
                <TableCell sx={{ width: 120 }}>Mean duration (steps)</TableCell>
                <TableCell>Description</TableCell>
                <TableCell sx={{ width: 40 }}>
                  <Box component="span" sx={visuallyHidden}>
                    Remove
                  </Box>
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {regimes.map((r, i) => {
                const p = `regimes[${i}]`;
                const label = r.name || `regime ${i + 1}`;
                return (
                  <TableRow key={i}>
                    <TableCell>
                      <CellText value={r.name} label={`Regime ${i + 1} name`} field={`${p}.name`} error={message(`${p}.name`)} onChange={(v) => update(i, { name: v })} />
                    </TableCell>
                    <TableCell>
                      <NumberInput value={r.load_fraction} label={`${label} load fraction`} field={`${p}.load_fraction`} error={message(`${p}.load_fraction`)} onChange={(v) => update(i, { load_fraction: v as number })} width="100%" />
                    </TableCell>
                    <TableCell>
                      <NumberInput value={r.probability} label={`${label} share of time`} field={`${p}.probability`} error={message(`${p}.probability`)} onChange={(v) => update(i, { probability: v as number })} width="100%" />
                    </TableCell>
                    <TableCell>
                      <NumberInput
                        value={r.mean_duration_steps}
                        optional
                        label={`${label} mean duration in steps`}
                        field={`${p}.mean_duration_steps`}
                        error={message(`${p}.mean_duration_steps`)}
                        onChange={(v) => update(i, { mean_duration_steps: v })}
                        width="100%"
                      />
                    </TableCell>
                    <TableCell>
                      <CellText value={r.description ?? ''} label={`${label} description`} field={`${p}.description`} error={message(`${p}.description`)} onChange={(v) => update(i, { description: v })} />
                    </TableCell>
                    <TableCell>
                      <IconButton size="small" aria-label={`Remove regime ${label}`} disabled={regimes.length <= 1} onClick={() => onChange(regimes.filter((_, j) => j !== i))}>
                        <DeleteOutline fontSize="small" />
                      </IconButton>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </TableContainer>
        <Typography variant="body2" sx={{ mt: 1, color: sumOK ? 'text.secondary' : 'error.main' }} data-testid="regime-share-sum">
          Shares add up to {Number(sum.toFixed(4))}.{!sumOK && !listError ? ' They must add up to 1 (± 0.01).' : ''}
        </Typography>
        {listError && (
          <Alert severity="error" sx={{ mt: 1 }}>
            {listError}
          </Alert>
        )}
    </EditorSection>
  );
}
