#!/usr/bin/python3
"""An independent Modbus TCP server for bench_modbus: Debian's python3-pymodbus
(3.0) serving SDM630-like float32 input registers (high word first) at unit 1.
Prints "listening 127.0.0.1:PORT" once it is about to serve. Loopback only."""
import socket
import struct
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartTcpServer


def floats(values):
    words = []
    for v in values:
        high, low = struct.unpack(">HH", struct.pack(">f", v))
        words += [high, low]
    return words


def main():
    registers = [0] * 0x160
    registers[0:6] = floats([230.1, 229.8, 231.0])
    registers[0x06:0x0C] = floats([3.5, 3.4, 3.6])
    registers[0x0C:0x12] = floats([800.0, 790.0, 810.0])
    registers[0x34:0x36] = floats([2400.0])
    registers[0x46:0x4C] = floats([50.0, 1234.5, 0.0])
    block = ModbusSequentialDataBlock(0, registers)
    slave = ModbusSlaveContext(ir=block, hr=ModbusSequentialDataBlock(0, [0] * 16),
                               di=ModbusSequentialDataBlock(0, [0] * 16), co=ModbusSequentialDataBlock(0, [0] * 16),
                               zero_mode=True)
    context = ModbusServerContext(slaves={1: slave}, single=False)
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    if port == 0:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    print(f"listening 127.0.0.1:{port}", flush=True)
    StartTcpServer(context=context, address=("127.0.0.1", port))


if __name__ == "__main__":
    main()
