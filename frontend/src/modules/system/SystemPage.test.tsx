import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { renderApp } from '../../test/render';
import { installFakeBackend } from '../../test/fakeBackend';

describe('System page', () => {
  it('shows versions, storage, schema and tables from System.Doctor', async () => {
    installFakeBackend();
    renderApp('/system');
    expect(await screen.findByText('abcdef123456')).toBeInTheDocument();
    expect(screen.getByText('go1.26.8')).toBeInTheDocument();
    expect(screen.getByText('linux / amd64')).toBeInTheDocument();
    expect(screen.getByText('/home/eng/.local/share/PdMStudio/pdmstudio.db')).toBeInTheDocument();
    const tables = screen.getByLabelText('Database tables');
    expect(within(tables).getAllByText(/jobs|settings|users/)).toHaveLength(3);
    expect(screen.getByText('1 of 2 loaded')).toBeInTheDocument();
  });

  it('shows a loaded runtime with version, path and the active provider', async () => {
    installFakeBackend();
    renderApp('/system');
    const card = await screen.findByLabelText('ONNX Runtime: loaded');
    expect(within(card).getByText('1.24.1')).toBeInTheDocument();
    expect(within(card).getByText('/opt/pdm/libonnxruntime.so.1')).toBeInTheDocument();
    expect(within(card).getByText('CPU · active')).toBeInTheDocument();
    expect(within(card).getByText('DirectML')).toBeInTheDocument();
  });

  it('shows a missing runtime with its error and the searched paths', async () => {
    installFakeBackend();
    renderApp('/system');
    const card = await screen.findByLabelText('llama.cpp: not loaded');
    expect(within(card).getByText('llama.cpp could not be loaded')).toBeInTheDocument();
    expect(within(card).getByText(/cannot open shared object file/)).toBeInTheDocument();
    const searched = within(card).getByLabelText('Searched locations');
    expect(within(searched).getByText('/opt/pdm/models/llama')).toBeInTheDocument();
    expect(within(searched).getByText('/usr/lib')).toBeInTheDocument();
  });
});
