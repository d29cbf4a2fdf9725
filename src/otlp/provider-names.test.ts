import { describe, expect, it } from 'vitest';
import { errorCodeFromType, normalizeProvider } from './index.js';

describe('normalizeProvider', () => {
  it.each([
    ['openai', 'openai'],
    ['openai.chat', 'openai'],
    ['openai.responses', 'openai'],
    ['google.generative-ai', 'gemini'],
    ['gcp.gemini', 'gemini'],
    ['gemini', 'gemini'],
    ['gcp.vertex_ai', 'vertex_ai'],
    ['google.vertex.chat', 'vertex_ai'],
    ['anthropic.messages', 'anthropic'],
    ['aws.bedrock', 'bedrock'],
    ['amazon-bedrock', 'bedrock'],
    ['azure.ai.openai', 'azure_openai'],
    ['mistral_ai', 'mistral'],
    ['x_ai', 'xai'],
    ['OpenRouter', 'openrouter'],
    ['acme.chat', 'acme'],
    ['Acme Labs', 'acme_labs'],
    ['.', 'unknown'],
  ])('%s → %s', (name, expected) => {
    expect(normalizeProvider(name)).toBe(expected);
  });
});

describe('errorCodeFromType', () => {
  it.each([
    ['timeout', 'TIMEOUT'],
    ['429', 'HTTP_429'],
    ['RateLimitError', 'RATE_LIMIT_ERROR'],
    ['AI_APICallError', 'AI_APICALL_ERROR'],
    ['java.net.UnknownHostException', 'JAVA_NET_UNKNOWN_HOST_EXCEPTION'],
    ['_OTHER', 'OTHER'],
    ['42x', 'ERROR_42X'],
    ['!!!', 'OTEL_SPAN_ERROR'],
    [null, 'OTEL_SPAN_ERROR'],
  ])('%s → %s', (type, expected) => {
    expect(errorCodeFromType(type)).toBe(expected);
  });

  it('cuts a long type to 64 characters on a word', () => {
    const code = errorCodeFromType('a.'.repeat(60));
    expect(code.length).toBeLessThanOrEqual(64);
    expect(code).toMatch(/^A(_A)+$/);
  });
});
