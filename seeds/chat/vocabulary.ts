/** Closed vocabularies of the chat data: models, endpoints, prompts, media. */
import type { Pools } from '../../src/fake/pools.js';
import type { Rng } from '../../src/fake/random.js';

export interface Model {
  name: string;
  /** Accepts image and video URLs. */
  vision: boolean;
  endpoint: string;
}

const TEXT_ENDPOINT = '/compatible-mode/v1/chat/completions';
const VL_ENDPOINT = '/api/v1/services/aigc/multimodal-generation/generation';

export const MODELS: readonly (readonly [Model, number])[] = [
  [{ name: 'qwen-vl-max-latest', vision: true, endpoint: VL_ENDPOINT }, 20],
  [{ name: 'qwen-vl-plus', vision: true, endpoint: VL_ENDPOINT }, 8],
  [{ name: 'qwen-max', vision: false, endpoint: TEXT_ENDPOINT }, 18],
  [{ name: 'qwen-plus', vision: false, endpoint: TEXT_ENDPOINT }, 22],
  [{ name: 'qwen-turbo', vision: false, endpoint: TEXT_ENDPOINT }, 12],
  [{ name: 'qwen2.5-72b-instruct', vision: false, endpoint: TEXT_ENDPOINT }, 8],
  [{ name: 'deepseek-v3', vision: false, endpoint: TEXT_ENDPOINT }, 7],
  [{ name: 'gpt-4o', vision: true, endpoint: TEXT_ENDPOINT }, 5],
];

export const SYSTEM_PROMPTS = [
  'You are a helpful assistant.',
  'You are a concise technical assistant. Answer in short paragraphs.',
  'You are a customer support agent for an online store. Be polite and precise.',
  'You are a translator. Reply only with the translation.',
];

export const IMAGE_QUESTIONS = [
  'What is in this picture?',
  'Read the text on this receipt and total it.',
  'Describe this chart and its main trend.',
  'Is there anything wrong with this wiring?',
];

export const VIDEO_QUESTIONS = ['Summarize this video.', 'What happens at the end of this clip?', 'Count the people in this video.'];

export const imageUrl = (r: Rng, p: Pools): string =>
  `https://${r.pick(p.domains)}/uploads/${r.hex(12)}.${r.pick(['jpg', 'png', 'webp'])}`;

export const videoUrl = (r: Rng, p: Pools): string => `https://${r.pick(p.domains)}/media/${r.hex(12)}.mp4`;

export const ERRORS: readonly (readonly [number, string, string])[] = [
  [429, 'rate_limit_exceeded', 'Requests rate limit exceeded, please try again later.'],
  [500, 'internal_error', 'The server had an error while processing your request.'],
  [400, 'invalid_parameter', 'Range of input length should be [1, 30720]'],
  [503, 'service_unavailable', 'Model is overloaded, retry later.'],
];
