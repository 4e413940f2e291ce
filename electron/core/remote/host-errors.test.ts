import { describe, expect, it } from 'vitest';
import { explainRemoteDockerError } from './host-errors';

const at = 'ssh://lab@h:22';
const hintFor = (detail: string) => explainRemoteDockerError('lab', new Error(detail), at, false).hint;

describe('explainRemoteDockerError', () => {
  it('says what happened, and the hint names the likely cause on the host', () => {
    expect(explainRemoteDockerError('lab', new Error('boom'), at, true).error).toBe(`lost the connection to Docker at ${at}: boom`);
    expect(hintFor('permission denied while trying to connect to the Docker daemon socket')).toContain('sudo usermod -aG docker lab');
    expect(hintFor('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?')).toContain('sudo systemctl start docker');
    expect(hintFor('sh: 1: docker: not found (forwarding /var/run/docker.sock: open failed)')).toContain("no docker CLI on the host's PATH");
  });

  it('does not blame Docker for a "No such file" that is about something else', () => {
    // A login without a home folder (and not in the docker group): sshd refused the socket,
    // the shell complained about its home. Not "Docker does not run".
    const hint = hintFor('Could not chdir to home directory /nonexistent: No such file or directory (forwarding /var/run/docker.sock: (SSH) Channel open failure: open failed)');
    expect(hint).not.toContain('systemctl start docker');
    expect(hint).toBe('Check on the host that Docker runs and that lab may use /var/run/docker.sock (docker group).');
  });
});
