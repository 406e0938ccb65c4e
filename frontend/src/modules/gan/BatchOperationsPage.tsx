import DynamicFeedOutlined from '@mui/icons-material/DynamicFeedOutlined';
import { Page } from '../../components/Page';
import { PlannedFeature } from '../../components/PlannedFeature';

export function BatchOperationsPage() {
  return (
    <Page title="Batch Operations" description="Run the same data step across many machines at once.">
      <PlannedFeature
        icon={DynamicFeedOutlined}
        summary="Queue seed generation, TVAE training or synthetic data generation for a selection of machines; each becomes a background job you can follow and cancel in the Job center."
        capabilities={[
          'Select machines by type, status or name',
          'Queue one step or the whole onboarding pipeline per machine',
          'A summary of what succeeded, failed or was cancelled, with the reasons',
        ]}
        related={[{ to: '/machines', label: 'Machines' }]}
      />
    </Page>
  );
}
