/**
 * Fake data for the `agents` schema: users with sessions, runs, the runs'
 * messages and files, per-user settings (plus a few global ones) and gallery
 * entries built from the runs' files. Every foreign key stays inside one
 * user's tree, and times are ordered: user < session < run < its messages
 * and files < completion < gallery entry.
 */
import crypto from 'node:crypto';
import type { Id, Scope, SeedGenerator, UserScope } from '../../src/fake/types.js';
import { person } from '../people.js';
import { ASSISTANT_REPLIES, fill, TASKS, USER_FOLLOW_UPS } from '../text.js';
import { after, between, DAY } from '../time.js';
import { FILE_KINDS, GLOBAL_SETTINGS, MODELS, SETTINGS, TAGS, TOOLS } from './vocabulary.js';

const AGENTS = ['assistant', 'researcher', 'planner', 'coder', 'analyst', 'reviewer'];
const STATUSES = [
  ['completed', 70],
  ['failed', 9],
  ['cancelled', 6],
  ['running', 10],
  ['pending', 5],
] as const;
const FINISHED = new Set(['completed', 'failed', 'cancelled']);
const MESSAGE_TYPES = [
  ['text', 70],
  ['tool_call', 15],
  ['code', 10],
  ['image', 5],
] as const;
const CLIENTS = ['web', 'cli', 'api'];
const FILE_WORDS = ['report', 'data', 'chart', 'notes', 'script', 'summary', 'export'];
const FAILURES = ['tool timeout', 'rate limited by provider', 'context length exceeded', 'sandbox crashed'];

export const agentsGenerator: SeedGenerator = {
  schema: 'agents',
  writtenFor: '20250101000700_create_gallery',
  tables: [
    { name: 'users', columns: ['id', 'username', 'email', 'password_hash', 'created_at', 'updated_at'] },
    { name: 'sessions', columns: ['id', 'user_id', 'title', 'config', 'created_at', 'updated_at'], refs: { user_id: 'users' } },
    {
      name: 'runs',
      columns: ['id', 'session_id', 'user_id', 'task', 'status', 'config', 'result', 'usage_statistics', 'created_at', 'updated_at', 'completed_at'],
      refs: { session_id: 'sessions', user_id: 'users' },
    },
    { name: 'messages', columns: ['id', 'run_id', 'sender', 'content', 'message_type', 'metadata', 'timestamp'], refs: { run_id: 'runs' } },
    {
      name: 'files',
      columns: ['id', 'run_id', 'name', 'path', 'size', 'content_type', 'file_hash', 'created_at'],
      refs: { run_id: 'runs' },
      // The path holds the run's key; the hash is of the path.
      distinct: ['path', 'file_hash'],
    },
    { name: 'settings', columns: ['id', 'user_id', 'key', 'value', 'created_at', 'updated_at'], refs: { user_id: 'users' } },
    { name: 'gallery', columns: ['id', 'user_id', 'run_id', 'title', 'description', 'file_paths', 'tags', 'created_at'], refs: { user_id: 'users', run_id: 'runs' } },
  ],
  defaults: {
    sessionsPerUser: 5,
    runsPerSession: 4,
    messagesPerRun: 12,
    filesPerRun: 1.5,
    settingsPerUser: 4,
    galleryPerUser: 3,
  },

  shared(s: Scope) {
    const at = s.ctx.refTime - 400 * DAY;
    for (const [key, value] of GLOBAL_SETTINGS) s.emit('settings', [s.id('settings'), null, key, value, at, at]);
  },

  user(s: UserScope) {
    const { rng: r, ctx } = s;
    const { counts, pools, refTime } = ctx;
    const who = person(r, pools, s.ordinal);
    const userId = s.id('users');
    const joined = between(r, refTime - 730 * DAY, refTime - 45 * DAY);
    const edited = after(r, joined, 0, 30 * 86400); // a profile edit some time after joining
    const finished: { id: Id; done: number; paths: string[]; task: string }[] = [];
    // Children are generated before their parent row is emitted (a parent's times depend on them);
    // the seeder loads each chunk's tables parents first.
    for (let i = r.around(counts.sessionsPerUser!); i > 0; i--) {
      const opened = between(r, joined + DAY, refTime - 2 * DAY);
      const model = r.pick(MODELS);
      const sessionId = s.id('sessions');
      const config = { model, temperature: r.int(0, 10) / 10, tools: r.sample(TOOLS, r.int(0, 4)), max_tokens: r.pick([1024, 2048, 4096, 8192]) };
      const title = fill(TASKS, r, pools).slice(0, 80);
      let last = opened;
      for (let j = r.around(counts.runsPerSession!); j > 0; j--) {
        const run = generateRun(s, userId, sessionId, model, between(r, last, last + 2 * DAY));
        last = Math.max(last, run.updated);
        if (run.done !== null && run.paths.length) finished.push({ id: run.id, done: run.done, paths: run.paths, task: run.task });
      }
      s.emit('sessions', [sessionId, userId, title, config, opened, last]);
    }

    const settingAt = after(r, joined, 60, 3 * 86400);
    for (const [key, value] of r.sample(SETTINGS, counts.settingsPerUser!)) {
      const changed = between(r, settingAt, refTime);
      s.emit('settings', [s.id('settings'), userId, key, value(r, pools), settingAt, changed]);
    }

    for (let i = Math.min(r.around(counts.galleryPerUser!), finished.length); i > 0; i--) {
      const run = r.pick(finished);
      const title = `${r.pick(pools.adjectives)} ${r.pick(pools.nouns)}`.replace(/^./, (c) => c.toUpperCase());
      s.emit('gallery', [s.id('gallery'), userId, run.id, title, `Output of: ${run.task}`, run.paths, r.sample(TAGS, r.int(1, 4)), after(r, run.done, 60, 7 * 86400)]);
    }
    s.emit('users', [userId, who.username, who.email, s.passwordHash, joined, edited]);
  },
};

interface GeneratedRun {
  id: Id;
  task: string;
  updated: number;
  /** Completion time of a completed run, else null. */
  done: number | null;
  paths: string[];
}

function generateRun(s: UserScope, userId: Id, sessionId: Id, model: string, created: number): GeneratedRun {
  const { rng: r, ctx } = s;
  const { pools, counts } = ctx;
  const runId = s.id('runs');
  const status = r.weighted(STATUSES);
  const task = fill(TASKS, r, pools);
  const agent = r.pick(AGENTS);
  const config = { model, max_steps: r.int(5, 30), agent };

  let t = created;
  let promptTokens = 0;
  let completionTokens = 0;
  const messages = Math.max(1, r.around(counts.messagesPerRun!));
  for (let k = 0; k < messages; k++) {
    t = after(r, t, 2, 90);
    const fromUser = k % 2 === 0;
    const tokens = r.int(20, 900);
    if (fromUser) promptTokens += tokens;
    else completionTokens += tokens;
    const text = k === 0 ? task : fill(fromUser ? USER_FOLLOW_UPS : ASSISTANT_REPLIES, r, pools);
    const type = fromUser ? 'text' : r.weighted(MESSAGE_TYPES);
    const content = type === 'tool_call' ? JSON.stringify({ tool: r.pick(TOOLS), arguments: { query: text.slice(0, 60) } }) : text;
    const metadata = fromUser ? (r.chance(0.2) ? { client: r.pick(CLIENTS) } : null) : { model, tokens, latency_ms: r.int(150, 9000) };
    s.emit('messages', [s.id('messages'), runId, fromUser ? 'user' : agent, content, type, metadata, t]);
  }

  const paths: string[] = [];
  for (let f = r.around(counts.filesPerRun!); f > 0; f--) {
    const [ext, contentType, min, max] = r.pick(FILE_KINDS);
    const name = `${r.pick(pools.adjectives)}_${r.pick(FILE_WORDS)}.${ext}`.toLowerCase();
    const path = `/workspace/runs/${runId}/${name}`;
    const size = r.int(min, max);
    const hash = crypto.createHash('sha256').update(`${path}\0${size}`).digest('hex');
    s.emit('files', [s.id('files'), runId, name, path, size, contentType, hash, between(r, created, t)]);
    paths.push(path);
  }

  const done = FINISHED.has(status) ? after(r, t, 1, 120) : null;
  let result: unknown = null;
  let usage: unknown = null;
  if (done !== null) {
    const total = promptTokens + completionTokens;
    usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: total, steps: messages, cost_usd: Math.round(total * 0.6) / 100000, duration_ms: done - created };
    result =
      status === 'completed'
        ? { summary: fill(ASSISTANT_REPLIES, r, pools), files: paths, confidence: r.int(60, 99) / 100 }
        : status === 'failed'
          ? { error: r.pick(FAILURES), step: r.int(1, messages) }
          : { cancelled_by: 'user' };
  }
  const updated = done ?? t;
  s.emit('runs', [runId, sessionId, userId, task, status, config, result, usage, created, updated, done]);
  return { id: runId, task, updated, done: status === 'completed' ? done : null, paths };
}
