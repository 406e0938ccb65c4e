import DescriptionOutlined from '@mui/icons-material/DescriptionOutlined';
import { Page } from '../../components/Page';
import { PlannedFeature } from '../../components/PlannedFeature';

export function ReportsPage() {
  return (
    <Page title="Reports" description="Printable PDF reports for a machine or the whole fleet.">
      <PlannedFeature
        icon={DescriptionOutlined}
        summary="Generate PDF reports with health status, charts, predictions and the assistant's explanation, for maintenance meetings and audit trails."
        capabilities={[
          'Machine report: condition, sensor trends, predictions and recommended actions',
          'Fleet report: status across all machines and what needs attention first',
          'Reports are generated as background jobs and kept in the data directory',
        ]}
        runtimes={['llama.cpp']}
      />
    </Page>
  );
}
