import { Component, type ErrorInfo, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import ReportProblemOutlined from '@mui/icons-material/ReportProblemOutlined';

interface Props {
  children: ReactNode;
  /** Where "go back" leads; the dashboard by default. */
  homeHref?: string;
}

interface State {
  error: Error | null;
  showDetails: boolean;
}

/** Catches a render error in a page so the shell (navigation, jobs) keeps working. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, showDetails: false };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // Kept in the console for the log file and for developers; the user sees the card below.
    console.warn('Page crashed:', error, info.componentStack);
  }

  private reset = () => this.setState({ error: null, showDetails: false });

  override render() {
    const { error, showDetails } = this.state;
    if (!error) return this.props.children;
    return (
      <Paper variant="outlined" role="alert" sx={{ p: { xs: 3, md: 4 }, maxWidth: 720, mx: 'auto', mt: 4, borderRadius: 3 }}>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start' }}>
          <ReportProblemOutlined color="error" sx={{ fontSize: 32, mt: 0.25 }} aria-hidden />
          <Box sx={{ minWidth: 0 }}>
            <Typography variant="h2" component="h1">
              This page stopped working
            </Typography>
            <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
              An unexpected error occurred while showing this page. Your data and running jobs are not
              affected. Try again, or go back to the dashboard.
            </Typography>
            <Stack direction="row" spacing={1} sx={{ mt: 2.5 }}>
              <Button variant="contained" onClick={this.reset}>
                Try again
              </Button>
              <Button variant="outlined" href={`#${this.props.homeHref ?? '/'}`} onClick={this.reset}>
                Go to dashboard
              </Button>
              <Button onClick={() => this.setState({ showDetails: !showDetails })} aria-expanded={showDetails}>
                {showDetails ? 'Hide details' : 'Show details'}
              </Button>
            </Stack>
            {showDetails && (
              <Box
                component="pre"
                sx={{ mt: 2, p: 1.5, borderRadius: 1.5, bgcolor: 'action.hover', fontSize: 12, overflow: 'auto', maxHeight: 240, whiteSpace: 'pre-wrap' }}
              >
                {error.name}: {error.message}
                {error.stack ? `\n\n${error.stack}` : ''}
              </Box>
            )}
          </Box>
        </Stack>
      </Paper>
    );
  }
}
