import { useParams } from 'react-router';
import PrecisionManufacturingOutlined from '@mui/icons-material/PrecisionManufacturingOutlined';
import { Page } from '../../components/Page';
import { PlannedFeature } from '../../components/PlannedFeature';

/** One machine: its sensors, health, predictions and models. */
export function MachineDetailPage() {
  const { id = '' } = useParams();
  return (
    <Page title={id} description="Sensors, health, predictions and models of one machine.">
      <PlannedFeature
        icon={PrecisionManufacturingOutlined}
        summary="The detail page of one machine."
        capabilities={['Sensor charts with thresholds', 'Health state timeline, RUL trend, anomaly score, forecast', 'Prediction history and top factors']}
        related={[{ to: '/machines', label: 'Machines' }]}
      />
    </Page>
  );
}
