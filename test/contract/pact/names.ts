// Pacticipants. HTTP and message pacts have separate provider names: one verifier run checks
// one kind against one provider setup.
import path from 'node:path';

export const PACT_DIR = path.resolve(__dirname, '../../../contracts');

export const PACTICIPANTS = {
  main: 'dwp-main',
  mainMessages: 'dwp-main-messages',
  aura: 'aura',
  auraMessages: 'aura-messages',
  workbench: 'workbench-sdk',
  gateway: 'dwp-gateway',
} as const;

export function pactFile(consumer: string, provider: string): string {
  return path.join(PACT_DIR, `${consumer}-${provider}.json`);
}

/** Example token in the pacts; the provider side replaces it with a real one for the tenant. */
export const EXAMPLE_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhY21lLWFwcHJvdmVyIn0.c2lnbmF0dXJl';
/**
 * Example token of a user (an approver) where a service credential is required: the provider
 * side recognises it and signs a real user token instead of its service one.
 */
export const EXAMPLE_USER_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhY21lLWFwcHJvdmVyIiwicm9sZSI6IkFQUFJPVkVSIn0.c2lnbmF0dXJl';
export const BEARER = /^Bearer [A-Za-z0-9._-]+$/;
export const TENANT = 'acme';
