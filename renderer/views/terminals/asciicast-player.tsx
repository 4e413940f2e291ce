import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { parseAsciicast, type Asciicast } from '../../../shared/asciicast';
import { ApiError } from '../../api/api-error';
import { Playback } from '../../lib/asciicast-playback';
import { useNow } from '../../lib/use-now';
import { readRecording } from './actions';
import { useXterm } from './use-xterm';

const fmt = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

function Player({ cast }: { cast: Asciicast }) {
  const ref = useRef<HTMLDivElement>(null);
  const term = useXterm(ref, { fit: false, readOnly: true, cols: cast.header.width, rows: cast.header.height });
  // Drawing starts with play(): building it draws nothing, so it can be made during render.
  const playback = useMemo(() => (term ? new Playback(cast, { write: (d) => term.write(d), resize: (c, r) => term.resize(c, r), reset: () => term.reset() }) : null), [term, cast]);
  useSyncExternalStore(
    (cb) => playback?.onChange(cb) ?? (() => undefined),
    () => playback?.version ?? 0,
  );
  useEffect(() => {
    if (!playback) return;
    playback.play();
    return () => playback.dispose();
  }, [playback]);
  useNow(!!playback?.playing, 250); // the position label and slider move while playing
  const pos = playback?.position ?? 0;
  return (
    <div className="player" data-testid="player">
      <div className="player-controls">
        <button type="button" className="btn btn-small" disabled={!playback} onClick={() => (playback?.playing ? playback.pause() : playback?.play())} data-testid="player-toggle">
          {playback?.playing ? 'Pause' : 'Play'}
        </button>
        <input
          type="range"
          min={0}
          max={Math.max(cast.duration, 0.001)}
          step={0.1}
          value={pos}
          onChange={(e) => playback?.seek(Number(e.target.value))}
          aria-label="Position in the recording"
          data-testid="player-seek"
        />
        <span className="mono muted" data-testid="player-position">
          {fmt(pos)} / {fmt(cast.duration)}
        </span>
      </div>
      <div className="player-screen" ref={ref} data-testid="player-screen" />
    </div>
  );
}

/** Loads a recording (asciicast v2) and plays it with its timing; pause and seek. Keyed by id; lazy-loaded (xterm.js). */
export default function AsciicastPlayer({ id }: { id: string }) {
  const [cast, setCast] = useState<Asciicast | null>(null);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  useEffect(() => {
    let gone = false;
    readRecording(id).then(
      (text) => {
        if (gone) return;
        try {
          setCast(parseAsciicast(text));
        } catch (err) {
          setError({ message: `The recording cannot be played: ${(err as Error).message}`, hint: 'Download it to look at the file.' });
        }
      },
      (err: unknown) => !gone && setError(ApiError.describe(err)),
    );
    return () => {
      gone = true;
    };
  }, [id]);
  if (error) {
    return (
      <div className="form-error" role="alert">
        {error.message}
        {error.hint ? <div className="muted">{error.hint}</div> : null}
      </div>
    );
  }
  if (!cast) return <p className="muted">Loading the recording…</p>;
  return <Player cast={cast} />;
}
