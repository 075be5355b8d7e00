// Status and severity as text plus colour (never colour alone).
export function Badge({ value, kind }: { value: string | null | undefined; kind: 'status' | 'severity' | 'conn' | 'tool' | 'step' }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <span className={`badge ${kind} ${kind}-${value.toLowerCase()}`} data-value={value}>
      {value}
    </span>
  );
}
