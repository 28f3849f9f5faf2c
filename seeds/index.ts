/** The fake-data generator of each schema. */
import type { SeedGenerator } from '../src/fake/types.js';
import { agentsGenerator } from './agents/index.js';
import { chatGenerator } from './chat/index.js';

export const generators: Record<string, SeedGenerator> = {
  agents: agentsGenerator,
  chat: chatGenerator,
};
