/**
 * The user (and public default password) containerlab sets up on each kind's nodes. Facts and
 * their source: docs/kind-default-users.md. Kinds missing here (linux and the like) have no
 * default user; the card then uses `root` for SSH and says so.
 */
export interface KindUser {
  user: string;
  password: string;
}

const table: [kinds: string[], user: string, password: string][] = [
  [['nokia_srlinux', 'srl'], 'admin', 'NokiaSrl1!'],
  [['nokia_srsim'], 'admin', 'NokiaSros1!'],
  [['nokia_sros', 'vr-sros', 'vr-nokia_sros'], 'admin', 'admin'],
  [['arista_ceos', 'ceos'], 'admin', 'admin'],
  [['arista_veos', 'vr-veos', 'vr-arista_veos'], 'admin', 'admin'],
  [['juniper_crpd', 'crpd'], 'root', 'clab123'],
  [['juniper_csrx'], 'root', 'clab123'],
  [['juniper_vjunosrouter', 'juniper_vjunosswitch', 'juniper_vjunosevolved', 'juniper_cjunosevolved', 'cjunosevolved'], 'admin', 'admin@123'],
  [['juniper_vmx', 'vr-vmx', 'vr-juniper_vmx', 'juniper_vsrx', 'vr-vsrx', 'vr-juniper_vsrx', 'juniper_vqfx', 'vr-vqfx', 'vr-juniper_vqfx'], 'admin', 'admin@123'],
  [['cisco_xrd', 'xrd', 'cisco_xrd_vrouter', 'cisco_xrv9k', 'vr-xrv9k', 'vr-cisco_xrv9k', 'cisco_xrv', 'vr-xrv', 'vr-cisco_xrv'], 'clab', 'clab@123'],
  [['cisco_csr1000v', 'vr-csr', 'vr-cisco_csr1000v', 'cisco_c8000v', 'cisco_n9kv', 'vr-n9kv', 'vr-cisco_n9kv', 'cisco_iol', 'cisco_vios', 'cisco_cat9kv'], 'admin', 'admin'],
  [['cisco_c8000', 'c8000'], 'cisco', 'cisco123'],
  [['cisco_asav'], 'admin', 'CiscoAsa1!'],
  [['cisco_ftdv'], 'admin', 'Admin@123'],
  [['paloalto_panos', 'vr-pan', 'vr-paloalto_panos'], 'admin', 'Admin@123'],
  [['sonic-vm', 'dell_sonic'], 'admin', 'admin'],
  [['nvidia_cumulusvx'], 'cumulus', 'Clab123!'],
  [['mikrotik_ros', 'vr-ros', 'vr-mikrotik_ros'], 'admin', 'admin'],
  [['fortinet_fortigate'], 'admin', 'admin'],
  [['freebsd', 'openbsd'], 'admin', 'admin'],
  [['ipinfusion_ocnos'], 'admin', 'admin@123'],
  [['aruba_aoscx', 'vr-aoscx', 'vr-aruba_aoscx', 'dell_ftosv', 'vr-ftosv', 'vr-dell_ftosv'], 'admin', 'admin'],
  [['huawei_vrp', '6wind_vsr', 'vyosnetworks_vyos'], 'admin', 'admin'],
  [['arrcus_arcos'], 'clab', 'clab@123'],
];

const byKind = new Map<string, KindUser>(table.flatMap(([kinds, user, password]) => kinds.map((k) => [k, { user, password }] as const)));

/** The kind's default login, or undefined for kinds containerlab sets none up for. */
export function kindDefaultUser(kind: string): KindUser | undefined {
  return byKind.get(kind.toLowerCase());
}

/** The user SSH commands name when neither the owner nor the kind says: plain Linux nodes' root. */
export const FALLBACK_SSH_USER = 'root';
