import { ConfigError } from '../shared/config/env';
import { loadAuraConfig } from './config';

const base = { JWT_SECRET: 'x'.repeat(40) };

describe('the model settings', () => {
  it('are off by default: the built-in agent drives every run', () => {
    expect(loadAuraConfig({ ...base }).llm).toBeUndefined();
  });

  it('take their defaults and strip a trailing slash', () => {
    expect(loadAuraConfig({ ...base, AURA_LLM_BASE_URL: 'http://127.0.0.1:11434/v1/' }).llm).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'gpt-4o-mini',
      timeoutMs: 20_000,
      maxSteps: 8,
      contextChars: 32_000,
    });
  });

  it('refuse a base URL that is not http(s)', () => {
    expect(() => loadAuraConfig({ ...base, AURA_LLM_BASE_URL: 'localhost:11434' })).toThrow(ConfigError);
    expect(() => loadAuraConfig({ ...base, AURA_LLM_BASE_URL: 'ftp://models/v1' })).toThrow(/AURA_LLM_BASE_URL must be an http\(s\) URL/);
  });

  it('in production, must name the model', () => {
    const prod = { ...base, NODE_ENV: 'production', AURA_LLM_BASE_URL: 'https://api.example.com/v1' };
    expect(() => loadAuraConfig(prod)).toThrow(/AURA_LLM_MODEL must be set in production/);
    expect(loadAuraConfig({ ...prod, AURA_LLM_MODEL: 'qwen2.5:7b', AURA_LLM_API_KEY: 'k' }).llm).toMatchObject({ model: 'qwen2.5:7b', apiKey: 'k' });
  });

  it('refuse a step limit below one', () => {
    expect(() => loadAuraConfig({ ...base, AURA_LLM_BASE_URL: 'http://m/v1', AURA_LLM_MAX_STEPS: '0' })).toThrow(/AURA_LLM_MAX_STEPS/);
  });
});
