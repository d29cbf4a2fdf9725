/**
 * Provider names as instrumentations send them (`gen_ai.provider.name`, `gen_ai.system`, the AI
 * SDK's `ai.model.provider`), mapped to the names tripmeter's tracker and price table use. The AI
 * SDK names a provider and its API (`openai.chat`, `google.generative-ai`); the semantic
 * conventions use `gcp.gemini`, `aws.bedrock`, `azure.ai.openai`. docs/opentelemetry.md shows
 * this table.
 */
export const PROVIDER_ALIASES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(openai|openai\..*)$/, 'openai'],
  [/^(azure|azure[._-].*|az\.ai\..*)$/, 'azure_openai'],
  [/^(anthropic|anthropic\..*)$/, 'anthropic'],
  [/^(gemini|gcp\.gemini|gcp\.gen_ai|google|google\.generative-ai.*|google-generative-ai)$/, 'gemini'],
  [/^(gcp\.vertex_ai|vertex_ai|vertexai|google\.vertex.*)$/, 'vertex_ai'],
  [/^(aws\.bedrock|amazon-bedrock.*|bedrock.*)$/, 'bedrock'],
  [/^(mistral|mistral_ai|mistralai|mistral\..*)$/, 'mistral'],
  [/^(openrouter|openrouter\..*)$/, 'openrouter'],
  [/^(groq|groq\..*)$/, 'groq'],
  [/^(deepseek|deepseek\..*)$/, 'deepseek'],
  [/^(xai|x_ai|xai\..*)$/, 'xai'],
  [/^(cohere|cohere\..*|cohere_.*)$/, 'cohere'],
  [/^(perplexity|perplexity\..*)$/, 'perplexity'],
  [/^(ibm\.watsonx\.ai|watsonx.*)$/, 'watsonx'],
];

/**
 * The tripmeter name of a provider: a known alias, else the sender's name in lower case up to its
 * first `.` (so `acme.chat` is `acme`), with characters outside `a-z 0-9 _ -` replaced by `_`.
 *
 * @example
 * normalizeProvider('google.generative-ai'); // 'gemini'
 * normalizeProvider('openai.chat'); // 'openai'
 */
export function normalizeProvider(name: string): string {
  const lower = name.trim().toLowerCase();
  for (const [pattern, provider] of PROVIDER_ALIASES) if (pattern.test(lower)) return provider;
  const head = lower
    .split('.', 1)[0]!
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, 64);
  return head === '' ? 'unknown' : head;
}
