import BarChartOutlined from '@mui/icons-material/BarChartOutlined';
import { Page } from '../../components/Page';
import { PlannedFeature } from '../../components/PlannedFeature';

export function FeatureImportancePage() {
  return (
    <Page title="Feature Importance" description="Which sensors and features drive a model's predictions.">
      <PlannedFeature
        icon={BarChartOutlined}
        summary="Attributions for each model: overall, and for a single prediction, so engineers can check that a model looks at the physics they expect."
        capabilities={[
          'Global importance ranking across all features of a model',
          'Per-prediction attributions: what pushed this machine towards "warning"',
          'Drill down from a feature to the sensor history behind it',
        ]}
        runtimes={['onnxruntime']}
      />
    </Page>
  );
}
