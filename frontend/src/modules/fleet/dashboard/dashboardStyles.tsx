import { staticStyles } from '../../../theme/staticStyles';
import { dashboardSheet } from './dashboardSheet';

/** The dashboard page's stylesheet (dashboardSheet.ts); DashboardPage renders it once. */
export const DashboardStyles = staticStyles(dashboardSheet, 'DashboardStyles');
