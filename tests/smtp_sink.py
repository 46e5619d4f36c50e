"""A real SMTP server for the tests (aiosmtpd): appends the Message-ID of every message it
accepts to a file, one per line with its recipients and the moment it was taken, flushed before the
server answers 250; with --keep, also writes
each message whole into that folder (a browser journey reads its links from there).

Like a real receiving server it refuses some recipients: one whose address starts with
`hard-bounce` for good (550 5.1.1, no such user), one starting with `soft-bounce` for now (451
4.2.0) the first time it is offered, accepted after."""
import argparse
import asyncio
import time
import os
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, path, keep, sync=True):
        self.out = open(path, "a", encoding="utf-8")
        self.keep = keep
        self.sync = sync
        self.count = 0
        self.deferred = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.lower()
        if local.startswith("hard-bounce"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if local.startswith("soft-bounce") and local not in self.deferred:
            self.deferred.add(local)
            return "451 4.2.0 <%s>: Mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message_id = ""
        for line in envelope.content.decode("utf-8", "replace").splitlines():
            if not line.strip():
                break
            if line.lower().startswith("message-id:"):
                message_id = line.split(":", 1)[1].strip()
        if self.keep:
            self.count += 1
            whole = os.path.join(self.keep, f"{self.count:05}.eml")
            with open(whole + ".part", "wb") as f:
                f.write(envelope.content)
            os.replace(whole + ".part", whole)
        self.out.write(f"{message_id}\t{','.join(envelope.rcpt_tos)}\t{time.time():.6f}\n")
        self.out.flush()
        if self.sync:
            os.fsync(self.out.fileno())
        return "250 OK"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--keep", help="a folder to write every message into")
    p.add_argument("--no-fsync", action="store_true", help="do not wait for the disk before answering (benchmarks)")
    a = p.parse_args()
    controller = Controller(Sink(a.out, a.keep, not a.no_fsync), hostname="127.0.0.1", port=a.port)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()  # runs until the test closes our standard input
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
