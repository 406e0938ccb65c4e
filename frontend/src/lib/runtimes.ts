const LABELS: Record<string, string> = {
  onnxruntime: 'ONNX Runtime',
  'llama.cpp': 'llama.cpp',
};

const PURPOSE: Record<string, string> = {
  onnxruntime: 'Runs the trained models for predictions, with CPU, DirectML or CUDA acceleration.',
  'llama.cpp': 'Runs the local language model for explanations, chat and report text.',
};

export function runtimeLabel(name: string): string {
  return LABELS[name] ?? name;
}

export function runtimePurpose(name: string): string | undefined {
  return PURPOSE[name];
}
