/**
 * Fake data for the `chat` schema: users with conversations on real model
 * names, messages whose role alternates user/assistant (a system prompt may
 * open) and whose JSON content matches its content_type, and one API call
 * per assistant message (sometimes after a failed attempt), with
 * total_tokens = request_tokens + response_tokens.
 */
import type { Id, SeedGenerator, UserScope } from '../../src/fake/types.js';
import { ipv4, ipv6, person } from '../people.js';
import { ASSISTANT_REPLIES, fill, TASKS, USER_FOLLOW_UPS } from '../text.js';
import { after, between, DAY } from '../time.js';
import { ERRORS, IMAGE_QUESTIONS, MODELS, SYSTEM_PROMPTS, VIDEO_QUESTIONS, imageUrl, videoUrl, type Model } from './vocabulary.js';

export const chatGenerator: SeedGenerator = {
  schema: 'chat',
  writtenFor: '20250201000400_create_api_calls',
  tables: [
    {
      name: 'users',
      columns: ['id', 'username', 'email', 'password_hash', 'nickname', 'avatar_url', 'phone', 'status', 'created_at', 'updated_at', 'last_login_at'],
    },
    { name: 'conversations', columns: ['id', 'user_id', 'title', 'model_name', 'status', 'created_at', 'updated_at'], refs: { user_id: 'users' } },
    {
      name: 'messages',
      columns: ['id', 'conversation_id', 'user_id', 'role', 'content_type', 'content', 'status', 'created_at'],
      refs: { conversation_id: 'conversations', user_id: 'users' },
    },
    {
      name: 'api_calls',
      columns: [
        'id', 'user_id', 'conversation_id', 'message_id', 'model_name', 'api_endpoint', 'request_content', 'response_content',
        'status_code', 'request_tokens', 'response_tokens', 'total_tokens', 'call_duration', 'client_ip', 'user_agent', 'created_at',
      ],
      refs: { user_id: 'users', conversation_id: 'conversations', message_id: 'messages' },
    },
  ],
  defaults: { conversationsPerUser: 8, messagesPerConversation: 22, failedCallRate: 0.04 },

  user(s: UserScope) {
    const { rng: r, ctx } = s;
    const { pools, refTime, counts } = ctx;
    const who = person(r, pools, s.ordinal);
    const userId = s.id('users');
    const joined = between(r, refTime - 730 * DAY, refTime - 45 * DAY);
    const phone = `+${r.pick(['1', '44', '49', '86', '81', '33'])} ${r.int(200, 999)} ${r.int(100, 999)} ${r.int(1000, 9999)}`;
    const nickname = r.chance(0.7) ? `${who.first} ${who.last.charAt(0)}.` : who.first;
    const status = r.chance(0.95) ? 1 : 0;
    const client = { ip: r.chance(0.3) ? ipv6(r) : ipv4(r), agent: r.pick(pools.userAgents) };
    let lastSeen = joined;
    // A parent row is emitted once its children fixed its times; the seeder loads parents first.
    for (let c = r.around(counts.conversationsPerUser!); c > 0; c--) {
      const model = r.weighted(MODELS);
      const started = between(r, joined + 60_000, refTime - DAY);
      const conversationId = s.id('conversations');
      const title = fill(TASKS, r, pools).slice(0, 60);
      const ended = conversationMessages(s, { userId, conversationId, model, started, client });
      const open = refTime - ended < 3 * DAY ? 1 : 0; // recent conversations are still in progress
      s.emit('conversations', [conversationId, userId, title, model.name, open, started, ended]);
      lastSeen = Math.max(lastSeen, ended);
    }
    const edited = after(r, joined, 0, 20 * 86400);
    const lastLogin = lastSeen > joined ? after(r, lastSeen, 60, 3 * 86400) : null;
    s.emit('users', [userId, who.username, who.email.slice(0, 100), s.passwordHash, nickname, r.pick(pools.avatars), phone, status, joined, edited, lastLogin]);
  },
};

interface ConversationFrame {
  userId: Id;
  conversationId: Id;
  model: Model;
  started: number;
  client: { ip: string; agent: string };
}

/** Emit a conversation's messages and API calls; returns the time of the last one. */
function conversationMessages(s: UserScope, f: ConversationFrame): number {
  const { rng: r, ctx } = s;
  const { pools, counts } = ctx;
  const message = (role: string, type: string, content: unknown, at: number): Id => {
    const id = s.id('messages');
    s.emit('messages', [id, f.conversationId, f.userId, role, type, content, r.chance(0.98) ? 1 : 0, at]);
    return id;
  };
  let t = f.started;
  if (r.chance(0.3)) message('system', 'text', { text: r.pick(SYSTEM_PROMPTS) }, t);

  const total = Math.max(2, r.around(counts.messagesPerConversation!));
  for (let k = 0; k < total; k += 2) {
    t = after(r, t, 5, 600);
    const [type, content, prompt] = userContent(s, f.model, k === 0);
    message('user', type, content, t);
    if (k + 1 >= total) break;

    const answer = fill(ASSISTANT_REPLIES, r, pools);
    const requestTokens = r.int(12, 1800);
    const responseTokens = Math.max(8, Math.round(answer.length / 3.6) + r.int(0, 400));
    let callAt = after(r, t, 0, 2);
    const failures: [number, number, (typeof ERRORS)[number]][] = [];
    while (r.chance(counts.failedCallRate!) && failures.length < 2) {
      const duration = r.int(80, 3000);
      failures.push([callAt, duration, r.pick(ERRORS)]);
      callAt += Math.ceil(duration / 1000) * 1000 + r.int(1, 5) * 1000;
    }
    const duration = r.int(400, Math.min(60_000, 300 + responseTokens * 25));
    t = callAt + Math.ceil(duration / 1000) * 1000;
    const answerId = message('assistant', 'text', { text: answer }, t);
    const request = JSON.stringify({ model: f.model.name, messages: [{ role: 'user', content: prompt }], stream: r.chance(0.5) });
    const call = (at: number, ms: number, code: number, response: unknown, responseTok: number) =>
      s.emit('api_calls', [
        s.id('api_calls'), f.userId, f.conversationId, answerId, f.model.name, f.model.endpoint, request, JSON.stringify(response),
        code, requestTokens, responseTok, requestTokens + responseTok, ms, f.client.ip, f.client.agent, at,
      ]);
    for (const [at, ms, [code, kind, text]] of failures) call(at, ms, code, { error: { code: kind, message: text } }, 0);
    call(callAt, duration, 200, {
      id: `chatcmpl-${r.token(24)}`,
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: answer } }],
      usage: { prompt_tokens: requestTokens, completion_tokens: responseTokens, total_tokens: requestTokens + responseTokens },
    }, responseTokens);
  }
  return t;
}

/** What a user sends: [content_type, JSON content, the text part]. */
function userContent(s: UserScope, model: Model, opening: boolean): [string, unknown, string] {
  const { rng: r, ctx } = s;
  if (model.vision && r.chance(0.25)) {
    if (r.chance(0.8)) {
      const text = r.pick(IMAGE_QUESTIONS);
      return ['image_url', { image_url: { url: imageUrl(r, ctx.pools) }, text }, text];
    }
    const text = r.pick(VIDEO_QUESTIONS);
    return ['video_url', { video_url: { url: videoUrl(r, ctx.pools) }, text }, text];
  }
  const text = fill(opening ? TASKS : USER_FOLLOW_UPS, r, ctx.pools);
  return ['text', { text }, text];
}
