import QueryStatsOutlined from '@mui/icons-material/QueryStatsOutlined';
import { Page } from '../../components/Page';
import { PlannedFeature } from '../../components/PlannedFeature';

export function DataExplorerPage() {
  return (
    <Page title="Data Explorer" description="Look inside a machine's seed and synthetic data sets.">
      <PlannedFeature
        icon={QueryStatsOutlined}
        summary="Interactive charts of a machine's sensor data: long time series stay fast through down-sampling, and synthetic data can be laid over the seed data it was learned from."
        capabilities={[
          'Sensor time series of 10,000+ points with zoom, pan and down-sampling',
          'Per-column statistics: range, mean, spread, missing values, with units',
          'Histograms and a correlation heatmap across sensors',
          'Seed versus synthetic comparison for each column',
        ]}
      />
    </Page>
  );
}
