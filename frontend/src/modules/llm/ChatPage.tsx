import ForumOutlined from '@mui/icons-material/ForumOutlined';
import { Page } from '../../components/Page';
import { PlannedFeature } from '../../components/PlannedFeature';

export function ChatPage() {
  return (
    <Page title="Assistant Chat" description="Ask questions about your machines and their data.">
      <PlannedFeature
        icon={ForumOutlined}
        summary="A conversation with the local language model that knows the fleet: ask about a machine's condition, compare machines, or look up maintenance guidance from the manuals."
        capabilities={[
          'Answers streamed token by token from the local model',
          'Context from the selected machine, its predictions and manuals',
          'Conversation history kept in the data directory',
        ]}
        runtimes={['llama.cpp']}
      />
    </Page>
  );
}
