/**
 * Sentence templates shared by the generators: what people ask an AI
 * platform for, and how an assistant answers. Slots are filled from the
 * faker pools, so the text reads like real use without a faker call per row.
 */
import type { Pools } from '../src/fake/pools.js';
import type { Rng } from '../src/fake/random.js';

type Fill = (r: Rng, p: Pools) => string;

const LANGS = ['Python', 'TypeScript', 'SQL', 'Go', 'Rust', 'Bash', 'Java'];
const DOCS = ['quarterly report', 'meeting notes', 'customer survey', 'incident postmortem', 'pricing page', 'API changelog', 'onboarding guide', 'research paper'];
const METRICS = ['revenue', 'churn', 'latency', 'error rate', 'signups', 'conversion', 'token usage'];
const DIMS = ['region', 'week', 'plan', 'device', 'model', 'team'];
const LANGUAGES = ['French', 'German', 'Spanish', 'Japanese', 'Chinese', 'Portuguese'];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const TASKS: Fill[] = [
  (r, p) => `Summarize the ${r.pick(DOCS)} from ${r.pick(p.companies)} and list the three biggest risks`,
  (r, p) => `Write a ${r.pick(LANGS)} function that can ${r.pick(p.verbs)} the ${r.pick(p.nouns)}`,
  (r, p) => `Compare ${r.pick(p.products)} with its top ${r.int(3, 5)} competitors on price and features`,
  (r, p) => `Draft a short email to ${r.pick(p.firstNames)} about the delayed ${r.pick(p.nouns)} rollout`,
  (r) => `Analyze sales.csv and chart ${r.pick(METRICS)} by ${r.pick(DIMS)} for the last ${r.int(2, 12)} months`,
  (r) => `Translate the ${r.pick(DOCS)} into ${r.pick(LANGUAGES)}, keeping the product names in English`,
  (r, p) => `Research how ${r.pick(p.companies)} uses the ${r.pick(p.nouns)} and write a one-page brief`,
  (r, p) => `Find why the ${r.pick(p.nouns)} job in ${r.pick(p.cities)} fails every night and propose a fix`,
  (r) => `Review this pull request for ${r.pick(LANGS)} style issues and missing tests`,
  (r, p) => `Plan a ${r.int(2, 6)}-week launch for ${r.pick(p.products)} with milestones and owners`,
];

export const USER_FOLLOW_UPS: Fill[] = [
  () => 'Can you make it shorter?',
  () => 'Please add the sources you used.',
  (r) => `What about ${r.pick(METRICS)}? Break it down by ${r.pick(DIMS)}.`,
  (r, p) => `Use ${r.pick(p.companies)} as the example instead.`,
  () => 'Looks good. Export it as a PDF.',
  (r) => `Rewrite the last part in ${r.pick(LANGS)}.`,
  () => 'That number looks wrong, can you double-check it?',
  (r, p) => `How does this affect the ${r.pick(p.nouns)}?`,
];

export const ASSISTANT_REPLIES: Fill[] = [
  (r, p) => `I'll start by checking the ${r.pick(p.nouns)}. ${r.pick(p.phrases)}`,
  (r) => `I found ${r.int(3, 14)} relevant sources; the most useful is a ${r.pick(DOCS)} from ${2019 + r.int(0, 6)}.`,
  (r) => `Done. ${cap(r.pick(METRICS))} is up ${r.int(2, 40)}% quarter over quarter, driven mostly by ${r.pick(DIMS)}.`,
  (r, p) => `Here is a summary: ${r.pick(p.catchPhrases)}. The main risk is the ${r.pick(p.nouns)}.`,
  (r, p) => `The failure comes from the ${r.pick(p.nouns)}; ${r.pick(p.phrases).toLowerCase()}`,
  (r) => `I wrote the ${r.pick(LANGS)} code and added ${r.int(2, 9)} tests. All of them pass.`,
  (r, p) => `${r.pick(p.products)} is cheaper, but ${r.pick(p.companies)} offers better support.`,
  () => 'I could not access that page (HTTP 403). I will use the cached copy instead.',
];

export const fill = (fills: readonly Fill[], r: Rng, p: Pools): string => r.pick(fills)(r, p);
