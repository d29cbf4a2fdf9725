import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SETTINGS, type SettingName } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'tripmeter-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A value every sensitive setting refuses, holding a recognisable secret. */
const LEAKY: Partial<Record<SettingName, string>> = {
  databaseUrl: 'mysql://admin:hunter2-leaky-password@db.internal/app',
  subjectHmacSecret: 'leaky-short',
  alertWebhookUrl: 'ftp://hooks.example.com/leaky-webhook-token',
  alertSlackWebhookUrl: 'ftp://hooks.slack.com/services/T0/B0/leaky-slack-token',
  metricsToken: 'leaky-short',
  identifyJwtSecret: 'leaky-too-short-secret',
};

function refusal(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('loadConfig never echoes a sensitive value', () => {
  it('marks every setting that holds a password, key or secret URL as sensitive', () => {
    const sensitive = Object.entries(SETTINGS)
      .filter(([, s]) => 'sensitive' in s && s.sensitive)
      .map(([name]) => name);
    expect(sensitive.sort()).toEqual(Object.keys(LEAKY).sort());
  });

  for (const [name, value] of Object.entries(LEAKY) as [SettingName, string][]) {
    it(`refuses a bad ${name} by name and source, not by value (flag, env, file)`, () => {
      const setting = SETTINGS[name];
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ [name]: value }));
      const messages = [
        refusal(() => loadConfig({ flags: { [setting.flag]: value } })),
        refusal(() => loadConfig({ env: { [setting.env]: value } })),
        refusal(() => loadConfig({ configFile: file })),
      ];
      for (const message of messages) {
        expect(message).toContain(`invalid ${name}`);
        expect(message).toContain(`(hidden, ${value.length} characters)`);
        expect(message).not.toContain('leaky');
      }
    });
  }

  it('still shows a refused value of an ordinary setting', () => {
    expect(refusal(() => loadConfig({ env: { TRIPMETER_PORT: 'eighty' } }))).toContain('"eighty"');
  });

  it('names the line and column of a malformed config file, never the text around it', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(
      file,
      '{\n  "port": 9000,\n  "identifyJwtSecret": leaky-unquoted-secret-value-0123456789\n}',
    );
    const message = refusal(() => loadConfig({ configFile: file }));
    expect(message).toContain('not valid JSON');
    expect(message).not.toContain('leaky');
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, '{\n  "identifyJwtSecret": "leaky-secret-value-0123456789-abcdef" x\n}');
    const located = refusal(() => loadConfig({ configFile: truncated }));
    expect(located).toMatch(/not valid JSON \(line 2, column \d+\)$/);
    expect(located).not.toContain('leaky');
  });
});
