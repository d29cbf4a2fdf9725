import { MockLanguageModelV3 } from 'ai/test';

/**
 * What both AI SDK suites send (to a capture server, and to a running `serve`): a prompt and an
 * answer whose words must be found nowhere afterwards, and the SDK's mock model answering them.
 */
export const PROMPT = 'Weekend in Porto for Maria Silva, phone +351 912 345 678, vegan';
export const ANSWER = 'Saturday: Ribeira and a port cellar';

/** The usage a mock model reports, as the AI SDK's language model spec (v3) shapes it. */
export const usage = (input: number, output: number, cacheRead?: number, reasoning?: number) => ({
  inputTokens: { total: input, noCache: input - (cacheRead ?? 0), cacheRead, cacheWrite: undefined },
  outputTokens: { total: output, text: output - (reasoning ?? 0), reasoning },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A mock model whose `doGenerate` takes 40 ms and answers {@link ANSWER} with `stop` and the
 * given tokens (`provider` as the SDK's provider packages name themselves, e.g. `openai.chat`).
 */
export function generatingModel(options: {
  provider: string;
  modelId: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  responseModelId?: string;
}): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    provider: options.provider,
    modelId: options.modelId,
    doGenerate: async () => {
      await sleep(40);
      return {
        content: [{ type: 'text', text: ANSWER }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: usage(options.inputTokens, options.outputTokens, options.cacheReadTokens),
        warnings: [],
        ...(options.responseModelId === undefined ? {} : { response: { modelId: options.responseModelId } }),
      };
    },
  });
}
