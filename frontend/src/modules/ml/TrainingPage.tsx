import ModelTrainingOutlined from '@mui/icons-material/ModelTrainingOutlined';
import { Page } from '../../components/Page';
import { PlannedFeature } from '../../components/PlannedFeature';

export function TrainingPage() {
  return (
    <Page title="Model Training" description="Train and export the four model kinds for a machine.">
      <PlannedFeature
        icon={ModelTrainingOutlined}
        summary="Train classification, remaining-useful-life, anomaly and forecasting models on a machine's data, as background jobs with a live loss curve, then export them to ONNX for fast inference."
        capabilities={[
          'Choose a machine, a model kind and its settings, with sensible defaults',
          'Follow epochs, loss and time left live; cancel at any moment',
          'Export to ONNX and run with CPU, DirectML or CUDA acceleration',
          'Keep a registry of model versions and their metrics',
        ]}
        runtimes={['onnxruntime']}
        related={[{ to: '/ml/performance', label: 'Model Performance' }]}
      />
    </Page>
  );
}
