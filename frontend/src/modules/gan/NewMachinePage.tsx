import AddCircleOutline from '@mui/icons-material/AddCircleOutline';
import { Page } from '../../components/Page';
import { PlannedFeature } from '../../components/PlannedFeature';

export function NewMachinePage() {
  return (
    <Page title="New Machine" description="Onboard a machine in five guided steps, from its profile to validated training data.">
      <PlannedFeature
        icon={AddCircleOutline}
        summary="A five-step wizard that turns a machine description into data you can train models on: profile, run-to-failure seed data, a TVAE generative model, synthetic data sets and a quality check."
        capabilities={[
          'Profile: start from one of the 26 built-in templates or import JSON, YAML or Excel, with field-by-field validation',
          'Seed data: simulate run-to-failure sensor histories from the profile',
          'TVAE training: learn the data distribution, with live loss, time left and cancel',
          'Synthetic data: generate training, validation and test sets as Parquet files',
          'Validation: a quality report comparing synthetic and seed data column by column',
        ]}
        related={[{ to: '/machines', label: 'Machines' }]}
      />
    </Page>
  );
}
