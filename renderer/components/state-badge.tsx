/** `degraded` (orange) is up but unhealthy, apart from `warn` (amber: waiting, reconnecting). */
export type Tone = 'ok' | 'degraded' | 'warn' | 'bad' | 'busy' | 'off';

const TONES: Record<string, Tone> = {
  // tunnels
  online: 'ok',
  degraded: 'degraded',
  'waiting-for-node': 'warn',
  reconnecting: 'warn',
  failed: 'bad',
  pending: 'busy',
  connecting: 'busy',
  stopped: 'off',
  // nodes
  running: 'ok',
  created: 'busy',
  restarting: 'warn',
  paused: 'warn',
  removing: 'off',
  exited: 'off',
  dead: 'bad',
  // hosts and providers
  connected: 'ok',
  unreachable: 'bad',
  idle: 'off',
};

export function toneOf(state: string): Tone {
  return TONES[state] ?? 'off';
}

interface Props {
  state: string;
  /** Text when it should differ from the state itself. */
  label?: string;
  title?: string;
  testId?: string;
}

/** A coloured state word: green online, orange degraded, amber waiting, red failed, blue in progress, grey stopped. */
export function StateBadge({ state, label, title, testId }: Props) {
  return (
    <span className={`badge tone-${toneOf(state)}`} title={title} data-testid={testId}>
      {label ?? state}
    </span>
  );
}
