import { describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/render';
import { installFakeBackend, makeJob } from '../../test/fakeBackend';
import { useJobsStore } from '../../store/jobs';

async function openJobCenter(user: ReturnType<typeof userEvent.setup>) {
  await user.click(within(await screen.findByRole('banner')).getByRole('button', { name: /^Job center/ }));
  return screen.findByRole('dialog', { name: 'Jobs' });
}

describe('job center', () => {
  it('shows an empty state when there are no jobs', async () => {
    installFakeBackend();
    const user = userEvent.setup();
    renderApp('/');
    const dialog = await openJobCenter(user);
    expect(within(dialog).getByText('No jobs yet')).toBeInTheDocument();
  });

  it('renders jobs from the store: kind, machine, status, progress, stage, ETA, metrics, error', async () => {
    const fake = installFakeBackend();
    fake.jobs = [
      makeJob({ id: 'run-1', kind: 'tvae_train', status: 'running', stage: 'training', progress: 0.42, eta_seconds: 75, metrics: { epoch: 3, loss: 1.23456 } }),
      makeJob({ id: 'fail-1', kind: 'seed', status: 'failed', error: 'profile has no sensors', finished_at: '2026-11-27T08:02:00Z' }),
      makeJob({ id: 'done-1', kind: 'report', machine_id: null, status: 'succeeded', progress: 1, finished_at: '2026-11-27T08:03:00Z' }),
    ];
    const user = userEvent.setup();
    renderApp('/');
    expect(await screen.findByRole('button', { name: 'Job center: 1 active job' })).toBeInTheDocument();
    const dialog = await openJobCenter(user);

    const running = within(dialog).getByRole('listitem', { name: /TVAE training for motor_siemens_1la7_001: running/ });
    expect(within(running).getByText('Running')).toBeInTheDocument();
    expect(within(running).getByText('Training')).toBeInTheDocument();
    expect(within(running).getByText(/42% · about 1 min 15 s left/)).toBeInTheDocument();
    expect(within(running).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '42');
    expect(within(running).getByText('Epoch')).toBeInTheDocument();
    expect(within(running).getByText('1.235')).toBeInTheDocument();
    expect(within(running).getByText('Loss')).toBeInTheDocument();

    const failed = within(dialog).getByRole('listitem', { name: /Seed data generation .*: failed/ });
    expect(within(failed).getByText('profile has no sensors')).toBeInTheDocument();
    expect(within(failed).queryByRole('button', { name: /Cancel/ })).not.toBeInTheDocument();

    const done = within(dialog).getByRole('listitem', { name: /Report generation: succeeded/ });
    expect(within(done).getByText('No machine')).toBeInTheDocument();
    expect(within(done).getByText(/Finished/)).toBeInTheDocument();
  });

  it('cancels a running job through Jobs.Cancel after confirmation', async () => {
    const fake = installFakeBackend();
    fake.jobs = [makeJob({ id: 'run-9', status: 'running' })];
    const user = userEvent.setup();
    renderApp('/');
    const dialog = await openJobCenter(user);
    await user.click(await within(dialog).findByRole('button', { name: 'Cancel Seed data generation' }));
    await user.click(within(dialog).getByRole('button', { name: 'Cancel job' }));
    await waitFor(() => expect(fake.call).toHaveBeenCalledWith('Jobs', 'Cancel', ['run-9']));
  });

  it('shows the backend error when cancel fails', async () => {
    const fake = installFakeBackend({
      'Jobs.Cancel': () => {
        throw JSON.stringify({ code: 'conflict', message: 'job already finished' });
      },
    });
    fake.jobs = [makeJob({ id: 'run-2', status: 'queued' })];
    const user = userEvent.setup();
    renderApp('/');
    const dialog = await openJobCenter(user);
    await user.click(await within(dialog).findByRole('button', { name: 'Cancel Seed data generation' }));
    await user.click(within(dialog).getByRole('button', { name: 'Cancel job' }));
    expect(await screen.findByText(/Could not cancel the job.*job already finished/)).toBeInTheDocument();
  });

  it('merges live job events into the list and announces the end', async () => {
    const fake = installFakeBackend();
    fake.jobs = [makeJob({ id: 'live', status: 'running', progress: 0.1 })];
    const user = userEvent.setup();
    renderApp('/');
    const dialog = await openJobCenter(user);
    await within(dialog).findByRole('listitem', { name: /: running/ });

    act(() => fake.emit('job', makeJob({ id: 'live', status: 'running', progress: 0.8, stage: 'writing_parquet' })));
    expect(await within(dialog).findByText('Writing parquet')).toBeInTheDocument();

    act(() => fake.emit('job', makeJob({ id: 'live', status: 'succeeded', progress: 1, finished_at: '2026-11-27T08:10:00Z' })));
    expect(await within(dialog).findByRole('listitem', { name: /: succeeded/ })).toBeInTheDocument();
    expect(await screen.findByText('Seed data generation for motor_siemens_1la7_001 finished')).toBeInTheDocument();
    expect(useJobsStore.getState().byId.live!.status).toBe('succeeded');
    expect(screen.getByRole('button', { name: 'Job center', hidden: true })).toBeInTheDocument();
  });

  it('draws a live loss curve from training events and shows epoch of epochs', async () => {
    const fake = installFakeBackend();
    fake.jobs = [makeJob({ id: 'tr', kind: 'tvae_train', stage: 'training', metrics: { epoch: 1, epochs: 40, loss: 2 } })];
    const user = userEvent.setup();
    renderApp('/');
    const dialog = await openJobCenter(user);
    await within(dialog).findByText('1 / 40');
    act(() => {
      for (let e = 2; e <= 5; e++) fake.emit('job', makeJob({ id: 'tr', kind: 'tvae_train', stage: 'training', metrics: { epoch: e, epochs: 40, loss: 2 / e } }));
    });
    expect(await within(dialog).findByRole('img', { name: /Loss from 1 to 0.4 over epochs 2–5/ })).toBeInTheDocument();
    expect(within(dialog).getByText('5 / 40')).toBeInTheDocument();
  });

  it('closes with Escape', async () => {
    installFakeBackend();
    const user = userEvent.setup();
    renderApp('/');
    await openJobCenter(user);
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Jobs' })).not.toBeInTheDocument());
  });
});
