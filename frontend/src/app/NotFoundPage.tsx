import { Link as RouterLink, useLocation } from 'react-router';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Typography from '@mui/material/Typography';
import TravelExploreOutlined from '@mui/icons-material/TravelExploreOutlined';
import { Page } from '../components/Page';
import { EmptyState } from '../components/EmptyState';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <Page title="Page not found">
      <Card>
        <EmptyState
          icon={TravelExploreOutlined}
          title="There is no page at this address"
          description={
            <>
              <Typography component="span" variant="body2" className="mono" sx={{ display: 'block', mb: 1 }}>
                {pathname}
              </Typography>
              It may have moved, or the link was mistyped. Every page is listed in the sidebar.
            </>
          }
          action={
            <Button variant="contained" component={RouterLink} to="/">
              Go to dashboard
            </Button>
          }
        />
      </Card>
    </Page>
  );
}
