// Machine learning module: predictions, model quality, training and attributions.
export { PredictionsPage } from './PredictionsPage';
export { ModelPerformancePage } from './ModelPerformancePage';
export { TrainingPage } from './TrainingPage';
export { FeatureImportancePage } from './FeatureImportancePage';
