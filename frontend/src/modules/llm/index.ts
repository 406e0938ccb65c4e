// AI assistant module: explanations, chat and reports from the local language model.
export { ExplainerPage } from './ExplainerPage';
export { ChatPage } from './ChatPage';
export { ReportsPage } from './ReportsPage';
