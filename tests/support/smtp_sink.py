"""A real SMTP server for tally's mail tests (aiosmtpd).

Usage: smtp_sink.py PORT DIR [--defer N]

Every message accepted is written whole to DIR/NNNN.eml, and as the
reader gets it to DIR/NNNN.json (envelope recipients, headers, the
decoded text and HTML parts, attachments): each written to a temporary
name, then renamed, so a reader never sees half a message. With
--defer N, the first N messages are answered 451 (try again later) and
not kept.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory, defer):
        self.directory = directory
        self.defer = defer
        self.count = len([f for f in os.listdir(directory) if f.endswith(".eml")])

    async def handle_DATA(self, server, session, envelope):
        if self.defer > 0:
            self.defer -= 1
            return "451 4.3.0 Try again later"
        self.count += 1
        base = os.path.join(self.directory, "%04d" % self.count)
        for suffix, data in ((".eml", envelope.original_content),
                             (".json", read(envelope))):
            tmp = base + suffix + ".tmp"
            with open(tmp, "wb") as f:
                f.write(data)
            os.rename(tmp, base + suffix)
        return "250 2.0.0 Ok: kept as %04d" % self.count


def read(envelope):
    """The message as a mail client shows it."""
    msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    out = {"rcpt": envelope.rcpt_tos, "mail_from": envelope.mail_from,
           "headers": [[k, str(v)] for k, v in msg.items()],
           "raw_headers": envelope.original_content.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace"),
           "text": None, "html": None, "attachments": []}
    for part in msg.walk():
        if part.is_multipart():
            continue
        if part.get_filename():
            out["attachments"].append({"name": part.get_filename(),
                                       "type": part.get_content_type(),
                                       "content": part.get_content()})
        elif part.get_content_type() == "text/plain":
            out["text"] = part.get_content()
        elif part.get_content_type() == "text/html":
            out["html"] = part.get_content()
    return json.dumps(out).encode()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("port", type=int)
    p.add_argument("dir")
    p.add_argument("--defer", type=int, default=0)
    a = p.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    controller = Controller(Sink(a.dir, a.defer), hostname="127.0.0.1", port=a.port)
    controller.start()
    print("ready", flush=True)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
