import InsightsOutlined from '@mui/icons-material/InsightsOutlined';
import { Page } from '../../components/Page';
import { PlannedFeature } from '../../components/PlannedFeature';

export function PredictionsPage() {
  return (
    <Page title="Predictions" description="What the models say about each machine, and how sure they are.">
      <PlannedFeature
        icon={InsightsOutlined}
        summary="Run the trained models on a machine's latest data: its health state, remaining useful life, anomalies and where its sensors are heading."
        capabilities={[
          'Health classification: healthy, degrading, warning or critical, with confidence',
          'Remaining useful life (RUL) estimate with an uncertainty band',
          'Anomaly detection over recent sensor windows',
          'Sensor forecasts, and the history of past predictions as a chart',
        ]}
        runtimes={['onnxruntime']}
      />
    </Page>
  );
}
