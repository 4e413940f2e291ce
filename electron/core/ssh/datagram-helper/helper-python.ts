/**
 * The UDP helper the app runs on an SSH server for the length of one exec channel, as an
 * inline python3 script (nothing is installed or left behind). OpenSSH forwards only streams,
 * so the helper holds the UDP sockets on the far side and frames each datagram with its peer
 * over the channel (frames.ts is the other end). It ends when the channel does: stdin closes.
 *
 *   bind mode (SSH relay): one socket bound to the public port; DATA frames carry the peer.
 *   connect mode (lab host): one connected socket per flow the app opens, to a node's port.
 *
 * Plain python3 (3.4+, standard library only), so any relay or lab host with python3 will do.
 */
export const HELPER_PYTHON = String.raw`
import errno, os, select, selectors, socket, struct, sys
HDR = struct.Struct('>IB')
DATA, FLOW_DATA, FLOW_OPEN, FLOW_CLOSE, FLOW_ERROR, READY, FAIL = 1, 2, 3, 4, 5, 16, 17
out = []

def frame(t, body):
    out.append(HDR.pack(len(body) + 1, t) + body)

def flush():
    data = memoryview(b''.join(out))
    del out[:]
    while data:
        try:
            data = data[os.write(1, data):]
        except BlockingIOError:
            select.select([], [1], [])

def ename(e):
    return errno.errorcode.get(e.errno, 'EIO').encode()

def pack_peer(addr):
    host, port = addr[0], addr[1]
    if ':' in host:
        return b'\x06' + socket.inet_pton(socket.AF_INET6, host.split('%')[0]) + struct.pack('>H', port)
    return b'\x04' + socket.inet_aton(host) + struct.pack('>H', port)

def unpack_peer(b):
    if b[0] == 6:
        return (socket.inet_ntop(socket.AF_INET6, b[1:17]), struct.unpack('>H', b[17:19])[0]), 19
    return (socket.inet_ntoa(b[1:5]), struct.unpack('>H', b[5:7])[0]), 7

def family(host):
    return socket.AF_INET6 if ':' in host else socket.AF_INET

mode = sys.argv[2]
sel = selectors.DefaultSelector()
os.set_blocking(0, False)
sel.register(0, selectors.EVENT_READ, ('in', None))
flows = {}
pub = None
if mode == 'bind':
    host, port = sys.argv[3], int(sys.argv[4])
    if not host:
        # The address this SSH connection came in on: where the relay itself is reached.
        parts = os.environ.get('SSH_CONNECTION', '').split()
        host = parts[2] if len(parts) > 2 else '0.0.0.0'
    try:
        pub = socket.socket(family(host), socket.SOCK_DGRAM)
        try:
            pub.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
        except OSError:
            pass
        pub.bind((host, port))
    except OSError as e:
        frame(FAIL, ename(e) + b' ' + (host + ' port ' + str(port) + ': ' + str(e.strerror)).encode())
        flush()
        sys.exit(3)
    pub.setblocking(False)
    sel.register(pub, selectors.EVENT_READ, ('pub', None))
    frame(READY, struct.pack('>H', pub.getsockname()[1]) + b'python3 ' + host.encode())
else:
    frame(READY, struct.pack('>H', 0) + b'python3')
flush()

def handle(t, b):
    if t == DATA and pub is not None:
        peer, i = unpack_peer(b)
        try:
            pub.sendto(b[i:], peer)
        except OSError:
            pass
    elif t == FLOW_OPEN:
        fid = b[:4]
        peer, i = unpack_peer(b[4:])
        try:
            s = socket.socket(family(peer[0]), socket.SOCK_DGRAM)
            s.setblocking(False)
            s.connect(peer)
        except OSError as e:
            frame(FLOW_ERROR, fid + b'!' + ename(e))
            return
        flows[fid] = s
        sel.register(s, selectors.EVENT_READ, ('flow', fid))
    elif t == FLOW_DATA:
        s = flows.get(b[:4])
        if s is not None:
            try:
                s.send(b[4:])
            except OSError as e:
                frame(FLOW_ERROR, b[:4] + b' ' + ename(e))
    elif t == FLOW_CLOSE:
        s = flows.pop(b[:4], None)
        if s is not None:
            sel.unregister(s)
            s.close()

buf = bytearray()
while True:
    for key, _ in sel.select():
        kind, fid = key.data
        if kind == 'in':
            try:
                chunk = os.read(0, 262144)
            except BlockingIOError:
                continue
            if not chunk:
                sys.exit(0)
            buf += chunk
            while len(buf) >= 5:
                n, t = HDR.unpack_from(buf, 0)
                if len(buf) < 4 + n:
                    break
                body = bytes(buf[5:4 + n])
                del buf[:4 + n]
                handle(t, body)
        elif kind == 'pub':
            for _ in range(256):
                try:
                    data, peer = pub.recvfrom(65535)
                except (BlockingIOError, InterruptedError):
                    break
                except OSError:
                    break
                frame(DATA, pack_peer(peer) + data)
        else:
            s = key.fileobj
            for _ in range(256):
                try:
                    data = s.recv(65535)
                except (BlockingIOError, InterruptedError):
                    break
                except OSError as e:
                    frame(FLOW_ERROR, fid + b' ' + ename(e))
                    break
                frame(FLOW_DATA, fid + data)
    if out:
        flush()
`;
