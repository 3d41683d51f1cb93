"""A scripted MQTT peer on loopback for the few broker behaviours mosquitto
cannot be configured into: refusing MQTT 5 (as RabbitMQ 3.10 and aedes do),
and claiming a session that it does not have.

It reads the client's CONNECT, looks at the protocol version byte and either
refuses it or relays the connection to a real mosquitto, byte for byte.

Layouts from the OASIS standards:
- MQTT 5.0 §3.1.2.2 (Protocol Version): byte 7 of the CONNECT variable header,
  after the protocol name "MQTT" (2-byte length + 4 bytes); 5 for MQTT 5.
- MQTT 3.1.1 §3.1.2.2 (Protocol Level): the same byte; 4 for 3.1.1.
- MQTT 5.0 §3.2.2.2 (Connect Reason Code): 0x84 Unsupported Protocol Version;
  CONNACK = 0x20, remaining length 3, acknowledge flags 0, reason 0x84,
  property length 0.
- MQTT 3.1.1 §3.2.2.2 (Session Present): bit 0 of the CONNACK's acknowledge
  flags (the byte after the remaining length).
"""
import socket
import threading

CLOSE = "close"              # close the connection on a v5 CONNECT, no CONNACK (RabbitMQ 3.10)
REFUSE_0X84 = "refuse-0x84"  # answer a v5 CONNECT with CONNACK reason 0x84 (aedes)


def _read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("peer closed")
        data += chunk
    return data


def read_packet(sock):
    """One MQTT control packet: fixed header byte, remaining length (variable
    byte integer, MQTT 5.0 §1.5.5 / 3.1.1 §2.2.3), body. Returns the raw bytes."""
    first = _read_exact(sock, 1)
    length_bytes, length, multiplier = b"", 0, 1
    for _ in range(4):
        b = _read_exact(sock, 1)
        length_bytes += b
        length += (b[0] & 0x7F) * multiplier
        multiplier *= 128
        if not b[0] & 0x80:
            break
    return first + length_bytes + _read_exact(sock, length)


def protocol_version(connect):
    """The protocol version byte of a raw CONNECT packet."""
    if connect[0] & 0xF0 != 0x10:
        raise ValueError("not a CONNECT packet")
    i = 1
    while connect[i] & 0x80:  # skip the remaining length
        i += 1
    i += 1
    name_len = int.from_bytes(connect[i:i + 2], "big")
    return connect[i + 2 + name_len]


class V311OnlyPeer:
    """Listens on a free loopback port. A v5 CONNECT is refused (`mode`); any
    other connection is relayed to 127.0.0.1:`upstream_port`. With
    `claim_session=True` the relayed CONNACK says Session Present = 1 although
    the client asked for a clean session (a broker that lies about its memory)."""

    def __init__(self, upstream_port, mode=CLOSE, claim_session=False):
        self.upstream_port = upstream_port
        self.mode = mode
        self.claim_session = claim_session
        self.versions = []  # protocol version byte of every CONNECT seen
        self.lock = threading.Lock()
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        self.closed = False
        self.sockets = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def uri(self):
        return f"tcp://127.0.0.1:{self.port}"

    def seen(self):
        with self.lock:
            return list(self.versions)

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        with self.lock:
            self.sockets.append(client)
        try:
            connect = read_packet(client)
            version = protocol_version(connect)
            with self.lock:
                self.versions.append(version)
            if version == 5:
                if self.mode == REFUSE_0X84:
                    client.sendall(bytes([0x20, 0x03, 0x00, 0x84, 0x00]))
                client.close()
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10)
            upstream.settimeout(None)
            with self.lock:
                self.sockets.append(upstream)
            upstream.sendall(connect)
            connack = bytearray(read_packet(upstream))
            if self.claim_session and connack[0] == 0x20:
                connack[2] |= 0x01
            client.sendall(bytes(connack))
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()
            self._pipe(client, upstream)
        except (OSError, ConnectionError, ValueError, IndexError):
            client.close()

    @staticmethod
    def _pipe(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def drop_connections(self):
        """Cuts every relayed connection (a node that went away and came back)."""
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for s in sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        self.closed = True
        self.server.close()
        with self.lock:
            for s in self.sockets:
                try:
                    s.close()
                except OSError:
                    pass
