#!/usr/bin/env python3
"""Drives a checkpoint/restart cycle through `rewind serve --stdio`, standard library only.

Runs examples/c/counter to its third tick, checkpoints it there, lets it finish, then restarts
it from the checkpoint three times and checks that every run ends the same way.

    make -C examples && python3 examples/python/checkpoint_restart.py examples/bin/counter
    python3 checkpoint_restart.py --server "java -cp ... dev.rewind.backend.cli.Main serve --stdio" PROGRAM
"""
import argparse
import base64
import os
import shlex
import struct
import sys

from rewind_client import RewindClient

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("program", help="the counter example, built by make -C examples")
    ap.add_argument("--server", default=os.path.join(HERE, "..", "..", "rewind") + " serve --stdio",
                    help="command that starts a backend on stdio (default: ./rewind serve --stdio)")
    ap.add_argument("--restarts", type=int, default=3)
    args = ap.parse_args()

    client = RewindClient(shlex.split(args.server))
    ok = True
    try:
        info = client.request("initialize", {"clientName": "python example", "protocolVersion": "0.1"})
        print(f"backend {info['serverVersion']}, protocol {info['protocolVersion']}")

        started = client.request("session/launch", {"program": os.path.abspath(args.program), "args": ["5"],
                                                    "stdout": "pipe", "stopAtEntry": True})
        sid = started["sessionId"]
        print(f"launched session {sid}, pid {started['pid']}")
        entry = client.request("session/wait", {"sessionId": sid, "timeoutMs": 20000})["stop"]
        assert entry["reason"] == "entry", entry

        bp = client.request("breakpoint/set", {"sessionId": sid, "function": "tick"})
        for hit in range(1, 4):
            client.request("session/resume", {"sessionId": sid})
            stop = client.request("session/wait", {"sessionId": sid, "timeoutMs": 20000})["stop"]
            assert stop["reason"] == "breakpoint" and stop["breakpointId"] == bp["breakpointId"], stop
        total = read_long(client, sid, "total")
        print(f"stopped at tick 3 of 5, total = {total}")

        cp = client.request("checkpoint/create", {"sessionId": sid, "label": "before tick 3"})
        print(f"checkpoint {cp['crid']} taken, downtime {cp['downtimeMicros']} us")
        client.request("breakpoint/remove", {"sessionId": sid, "breakpointId": bp["breakpointId"]})

        mark = len(client.notifications)
        client.request("session/resume", {"sessionId": sid})
        end = client.request("session/wait", {"sessionId": sid, "timeoutMs": 20000})["stop"]
        first = client.await_output(sid, "tick 5 total 15", since=mark)
        print(f"first run ended: {end['reason']} with {end['exitCode']}; it printed {first.splitlines()}")

        for n in range(1, args.restarts + 1):
            mark = len(client.notifications)
            r = client.request("checkpoint/restart", {"sessionId": sid, "crid": cp["crid"]})
            end = client.request("session/wait", {"sessionId": sid, "timeoutMs": 20000})["stop"]
            again = client.await_output(sid, "tick 5 total 15", since=mark)
            same = again == first and end["reason"] == "exited" and end["exitCode"] == 15
            ok = ok and same
            print(f"restart {n} from checkpoint {cp['crid']} in {r['restartMicros']} us: "
                  f"exit {end['exitCode']}, output {'the same' if same else 'DIFFERENT: ' + repr(again)}")
        print(f"total in checkpoint {cp['crid']} is still {read_long(client, sid, 'total', crid=cp['crid'])}")
        client.request("session/kill", {"sessionId": sid})
    finally:
        status = client.close()
    print("PASS" if ok and status == 0 else f"FAIL (server exit status {status})")
    return 0 if ok and status == 0 else 1


def read_long(client, sid, symbol, crid=None):
    params = {"sessionId": sid, "symbol": symbol, "length": 8}
    if crid is not None:
        params["crid"] = crid
    data = base64.b64decode(client.request("memory/read", params)["data"])
    return struct.unpack("<q", data)[0]


if __name__ == "__main__":
    sys.exit(main())
