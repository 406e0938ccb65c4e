import { useMemo, useState } from 'react';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import SearchOutlined from '@mui/icons-material/SearchOutlined';
import { MACHINE_STAGES, type Machine } from '../../../bridge';
import { StateChip } from '../../../components/StatusChip';
import { humanizeKey } from '../../../lib/format';
import Button from '@mui/material/Button';
import { filterMachines, stageDone, stageNoun, type OperationInfo } from './logic';

/** The furthest workflow stage a machine has done, as a chip. */
function StageChip({ m }: { m: Machine }) {
  const failed = m.stages.find((s) => s.state === 'failed');
  if (failed) return <StateChip label={`${humanizeKey(failed.stage)} failed`} tone="critical" />;
  const running = m.stages.find((s) => s.state === 'running');
  if (running) return <StateChip label={`${humanizeKey(running.stage)}…`} tone="degrading" />;
  const done = [...MACHINE_STAGES].reverse().find((s) => stageDone(m, s)) ?? 'profile';
  return <StateChip label={humanizeKey(done)} tone={done === 'models' || done === 'validated' ? 'healthy' : 'neutral'} />;
}

/** The machine table with search, type filter and check boxes; "select all" takes what the filter shows. */
export function MachinePicker({
  machines,
  selected,
  onChange,
  op,
  disabled,
}: {
  machines: Machine[];
  selected: string[];
  onChange: (ids: string[]) => void;
  op: OperationInfo;
  disabled?: boolean;
}) {
  const [text, setText] = useState('');
  const [type, setType] = useState('');
  const types = useMemo(() => [...new Set(machines.map((m) => m.machine_type))].sort(), [machines]);
  const shown = useMemo(() => filterMachines(machines, text, type), [machines, text, type]);
  const ready = useMemo(() => machines.filter((m) => !op.needs || stageDone(m, op.needs)), [machines, op]);
  const sel = new Set(selected);
  const shownSelected = shown.filter((m) => sel.has(m.machine_id)).length;
  const toggleAll = () => {
    const next = new Set(sel);
    if (shownSelected === shown.length) shown.forEach((m) => next.delete(m.machine_id));
    else shown.forEach((m) => next.add(m.machine_id));
    onChange(machines.map((m) => m.machine_id).filter((id) => next.has(id)));
  };
  const toggle = (id: string) => {
    const next = new Set(sel);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange(machines.map((m) => m.machine_id).filter((x) => next.has(x)));
  };

  return (
    <Stack spacing={1.5}>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} sx={{ alignItems: { sm: 'center' } }}>
        <TextField
          size="small"
          label="Search machines"
          value={text}
          onChange={(e) => setText(e.target.value)}
          sx={{ flex: 1, minWidth: 220 }}
          slotProps={{
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchOutlined fontSize="small" />
                </InputAdornment>
              ),
            },
          }}
        />
        <TextField select size="small" label="Type" value={type} onChange={(e) => setType(e.target.value)} sx={{ minWidth: 180 }}>
          <MenuItem value="">All types</MenuItem>
          {types.map((t) => (
            <MenuItem key={t} value={t}>
              {humanizeKey(t)}
            </MenuItem>
          ))}
        </TextField>
        <Typography variant="body2" color="text.secondary" sx={{ flexShrink: 0 }} aria-live="polite" data-testid="selected-count">
          {selected.length} of {machines.length} selected
        </Typography>
        {op.needs && (
          <Button size="small" onClick={() => onChange(ready.map((m) => m.machine_id))} disabled={disabled || ready.length === 0} sx={{ flexShrink: 0 }}>
            Select the {ready.length} ready
          </Button>
        )}
        <Button size="small" onClick={() => onChange([])} disabled={disabled || selected.length === 0} sx={{ flexShrink: 0 }}>
          Clear selection
        </Button>
      </Stack>
      <TableContainer sx={{ maxHeight: 420, border: 1, borderColor: 'divider', borderRadius: 1.5 }} tabIndex={0} role="region" aria-label="Machines, scrollable">
        <Table size="small" stickyHeader aria-label="Machines">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox">
                <Checkbox
                  checked={shown.length > 0 && shownSelected === shown.length}
                  onChange={toggleAll}
                  disabled={disabled || shown.length === 0}
                  slotProps={{ input: { 'aria-label': shownSelected === shown.length ? 'Clear the shown machines' : 'Select all shown machines' } }}
                />
              </TableCell>
              <TableCell>Machine</TableCell>
              <TableCell>Type</TableCell>
              <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>Site / line</TableCell>
              <TableCell>Stage</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.map((m) => {
              const ready = !op.needs || stageDone(m, op.needs);
              return (
                <TableRow key={m.machine_id} hover selected={sel.has(m.machine_id)} onClick={() => !disabled && toggle(m.machine_id)} sx={{ cursor: disabled ? 'default' : 'pointer' }}>
                  <TableCell padding="checkbox">
                    <Checkbox
                      checked={sel.has(m.machine_id)}
                      disabled={disabled}
                      onClick={(e) => e.stopPropagation()}
                      onChange={() => toggle(m.machine_id)}
                      slotProps={{ input: { 'aria-label': `Select ${m.machine_id}` } }}
                    />
                  </TableCell>
                  <TableCell>
                    <Typography variant="body2" sx={{ fontWeight: 600 }}>
                      {m.machine_id}
                    </Typography>
                    <Typography variant="caption" color={sel.has(m.machine_id) ? 'text.primary' : 'text.secondary'}>
                      {m.name || `${m.manufacturer} ${m.model}`}
                      {!ready && op.needs ? ` · needs ${stageNoun(op.needs)} first` : ''}
                    </Typography>
                  </TableCell>
                  <TableCell>{humanizeKey(m.machine_type)}</TableCell>
                  <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>
                    {m.site}
                    {m.line ? ` / ${m.line}` : ''}
                  </TableCell>
                  <TableCell>
                    <StageChip m={m} />
                  </TableCell>
                </TableRow>
              );
            })}
            {shown.length === 0 && (
              <TableRow>
                <TableCell colSpan={5}>
                  <Box sx={{ py: 3, textAlign: 'center', color: 'text.secondary' }}>No machine matches the search.</Box>
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </TableContainer>
    </Stack>
  );
}
