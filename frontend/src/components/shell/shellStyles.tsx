import { staticStyles } from '../../theme/staticStyles';
import { shellSheet } from './shellSheet';

/** The shell's stylesheet (shellSheet.ts, one per theme); AppShell renders it once. */
export const ShellStyles = staticStyles(shellSheet, 'ShellStyles');
