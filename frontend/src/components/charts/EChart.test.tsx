import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import { ThemeProvider } from '@mui/material/styles';
import { createAppTheme } from '../../theme/theme';

// jsdom has no canvas: stand in for ECharts and check what the wrapper asks of it.
const chart = { setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn() };
vi.mock('echarts/core', () => ({ use: vi.fn(), init: vi.fn(() => chart) }));

describe('LazyEChart', () => {
  it('loads ECharts on first use, applies the theme palette and disposes on unmount', async () => {
    const { LazyEChart } = await import('./LazyEChart');
    const echarts = await import('echarts/core');
    const option = { xAxis: { type: 'value' }, yAxis: { type: 'value' }, series: [{ type: 'line', data: [[0, 1], [1, 2]] }] };
    const { unmount } = render(
      <ThemeProvider theme={createAppTheme('dark')}>
        <LazyEChart option={option} ariaLabel="Vibration over time" height={200} />
      </ThemeProvider>,
    );
    expect(await screen.findByRole('img', { name: 'Vibration over time' })).toBeInTheDocument();
    await waitFor(() => expect(chart.setOption).toHaveBeenCalled());
    expect(echarts.init).toHaveBeenCalledTimes(1);
    const [applied] = chart.setOption.mock.calls.at(-1)! as [Record<string, unknown>];
    expect(applied.series).toEqual(option.series);
    expect(applied.color).toEqual(expect.arrayContaining(['#10b981', '#ef4444']));
    expect(applied.backgroundColor).toBe('transparent');
    unmount();
    expect(chart.dispose).toHaveBeenCalled();
  });
});
