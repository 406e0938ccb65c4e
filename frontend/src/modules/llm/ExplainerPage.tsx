import TipsAndUpdatesOutlined from '@mui/icons-material/TipsAndUpdatesOutlined';
import { Page } from '../../components/Page';
import { PlannedFeature } from '../../components/PlannedFeature';

export function ExplainerPage() {
  return (
    <Page title="AI Explainer" description="Plain-language explanations of why a machine is in its current state.">
      <PlannedFeature
        icon={TipsAndUpdatesOutlined}
        summary="The local language model explains a prediction in words, grounded in the model's attributions and the equipment manuals, and suggests what to inspect. Everything runs on this computer; nothing leaves it."
        capabilities={[
          'A summary of the prediction and the sensors behind it',
          'Likely causes and risk factors, citing the manual passages used',
          'Recommended maintenance actions, ready to copy or put into a report',
          'Streaming output you can stop at any time',
        ]}
        runtimes={['llama.cpp', 'onnxruntime']}
      />
    </Page>
  );
}
