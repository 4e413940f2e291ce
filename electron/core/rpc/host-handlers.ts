import { AppError } from '../../../shared/rpc-errors';
import type { LabsService } from '../labs/labs-service';
import type { Handlers } from './dispatch';

type HostHandlers = Pick<Handlers, 'hosts.add' | 'hosts.remove' | 'hosts.trustHostKey'>;

const notYet = () => {
  throw new AppError('unavailable', 'remote lab hosts are not available in this version yet', 'run clab-publisher on the lab host itself (clab-publisher serve) for now');
};

/** Lab hosts reached over SSH (issue 6); until they land the methods say so plainly. */
export function createHostHandlers(_s: { labs: LabsService }): HostHandlers {
  return { 'hosts.add': notYet, 'hosts.remove': notYet, 'hosts.trustHostKey': notYet };
}
