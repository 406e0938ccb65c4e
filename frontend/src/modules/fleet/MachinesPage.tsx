import PrecisionManufacturingOutlined from '@mui/icons-material/PrecisionManufacturingOutlined';
import { Page } from '../../components/Page';
import { PlannedFeature } from '../../components/PlannedFeature';

export function MachinesPage() {
  return (
    <Page title="Machines" description="Every machine in the fleet, its condition and its data.">
      <PlannedFeature
        icon={PrecisionManufacturingOutlined}
        summary="The fleet list: each machine with its type, health state, latest sensor readings and the data sets and models it has, searchable and sortable."
        capabilities={[
          'Search by name, filter by type and health state, sort by any column',
          'Status at a glance: healthy, degrading, warning or critical',
          'Open a machine for its profile, sensors, data sets, models and history',
          'Export and import machine profiles as JSON, YAML or Excel',
        ]}
        related={[{ to: '/machines/new', label: 'New Machine (onboarding wizard)' }]}
      />
    </Page>
  );
}
