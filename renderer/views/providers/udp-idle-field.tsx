interface Props {
  value: string;
  onChange: (v: string) => void;
  testId: string;
}

/** How long a UDP peer may stay silent before its socket to the node is closed (providers that carry UDP). */
export function UdpIdleField({ value, onChange, testId }: Props) {
  return (
    <label className="field">
      <span>UDP peer idle timeout (seconds)</span>
      <input type="number" min={5} max={3600} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} aria-describedby={`${testId}-help`} />
      <small id={`${testId}-help`} className="help">
        UDP has no connections: a peer that sends nothing for this long loses its socket to the node; its next datagram
        opens a new one. 5 to 3600, applies to new publications.
      </small>
    </label>
  );
}
