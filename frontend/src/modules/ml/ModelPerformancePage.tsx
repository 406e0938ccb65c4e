import SpeedOutlined from '@mui/icons-material/SpeedOutlined';
import { Page } from '../../components/Page';
import { PlannedFeature } from '../../components/PlannedFeature';

export function ModelPerformancePage() {
  return (
    <Page title="Model Performance" description="How good each trained model is, measured on held-out data.">
      <PlannedFeature
        icon={SpeedOutlined}
        summary="Evaluation results for every model version, so you can decide which one to trust and deploy."
        capabilities={[
          'Classification: accuracy, precision, recall, F1 and the confusion matrix',
          'RUL: error by horizon (MAE, RMSE) and predicted versus actual plots',
          'Anomaly detection: precision/recall trade-off and thresholds',
          'Compare model versions side by side',
        ]}
        runtimes={['onnxruntime']}
        related={[{ to: '/ml/training', label: 'Model Training' }]}
      />
    </Page>
  );
}
