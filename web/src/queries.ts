// Query keys in one place: a pushed notification invalidates exactly what it names.
export const queryKeys = {
  cases: (status?: string) => (status ? (['cases', status] as const) : (['cases'] as const)),
  case: (caseId: string) => ['case', caseId] as const,
  notifications: () => ['notifications'] as const,
  me: () => ['me'] as const,
  hitlRequest: (requestId: string) => ['hitl-request', requestId] as const,
};
