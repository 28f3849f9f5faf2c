/** Closed vocabularies of the agents data: models, tools, file kinds, settings, tags. */
import type { Pools } from '../../src/fake/pools.js';
import type { Rng } from '../../src/fake/random.js';

export const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-3-5-sonnet', 'qwen-max', 'qwen-plus', 'deepseek-chat', 'llama-3.1-70b-instruct'];

export const TOOLS = ['web_search', 'code_interpreter', 'file_reader', 'browser', 'sql_query', 'image_generation', 'calculator'];

export const TAGS = ['report', 'chart', 'code', 'research', 'draft', 'data', 'translation', 'summary', 'favorite', 'shared'];

/** [extension, content type, min size, max size] */
export const FILE_KINDS: readonly (readonly [string, string, number, number])[] = [
  ['pdf', 'application/pdf', 40_000, 4_000_000],
  ['csv', 'text/csv', 1_000, 2_000_000],
  ['png', 'image/png', 20_000, 3_000_000],
  ['py', 'text/x-python', 300, 40_000],
  ['md', 'text/markdown', 200, 30_000],
  ['json', 'application/json', 100, 500_000],
  ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 8_000, 1_500_000],
];

type Value = (r: Rng, p: Pools) => unknown;

/** Per-user setting keys and how their values look. */
export const SETTINGS: readonly (readonly [string, Value])[] = [
  ['theme', (r) => r.pick(['light', 'dark', 'system'])],
  ['language', (r) => r.pick(['en-US', 'en-GB', 'de-DE', 'fr-FR', 'ja-JP', 'zh-CN', 'es-ES'])],
  ['timezone', (r, p) => r.pick(p.timeZones)],
  ['notifications', (r) => ({ email: r.chance(0.6), push: r.chance(0.4), digest: r.pick(['daily', 'weekly', 'never']) })],
  ['default_model', (r) => r.pick(MODELS)],
  ['editor', (r) => ({ font_size: r.int(11, 18), word_wrap: r.chance(0.7), tab_size: r.pick([2, 4]) })],
  ['auto_save', (r) => r.chance(0.8)],
  ['max_concurrent_runs', (r) => r.int(1, 8)],
];

/** Settings with no user: platform-wide. */
export const GLOBAL_SETTINGS: readonly (readonly [string, unknown])[] = [
  ['maintenance_mode', false],
  ['default_model', 'gpt-4o-mini'],
  ['max_upload_mb', 100],
  ['allowed_models', MODELS],
  ['rate_limit', { requests_per_minute: 60, tokens_per_day: 2_000_000 }],
];
