// Query keys in one place: a pushed notification invalidates exactly what it names.
export const queryKeys = {
  cases: (status?: string) => (status ? (['cases', status] as const) : (['cases'] as const)),
  case: (caseId: string) => ['case', caseId] as const,
  notifications: () => ['notifications'] as const,
  me: () => ['me'] as const,
  hitlRequest: (requestId: string) => ['hitl-request', requestId] as const,
  /** The approvals inbox per status; `hitlInbox()` is the prefix every pushed HITL_REQUEST invalidates. */
  hitlInbox: (status?: string) => (status ? (['hitl-inbox', status] as const) : (['hitl-inbox'] as const)),
};
