#!/usr/bin/python3
"""A real SMTP server (Debian's python3-aiosmtpd) for failsafe's email tests.

Run with /usr/bin/python3. Listens on 127.0.0.1 (port 0 unless --port), writes the port to
--port-file and prints it. Each message is saved to --dir as N.eml (the DATA exactly as
received) and N.json (envelope: mail_from, rcpt_tos, auth_login, tls).

  --cert/--key        offer STARTTLS with this certificate (a test makes a self-signed one)
  --require-starttls  refuse MAIL before STARTTLS
  --user/--password   offer AUTH PLAIN/LOGIN and require it for MAIL
"""

import argparse
import asyncio
import json
import os
import ssl
import sys
import threading
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class SaveHandler:
    def __init__(self, directory):
        self.directory = directory
        self.lock = threading.Lock()
        self.count = len([n for n in os.listdir(directory) if n.endswith(".eml")])

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.directory, "%d" % n)
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "auth_login": (session.auth_data.login.decode()
                           if isinstance(session.auth_data, LoginPassword) else None),
            "tls": session.ssl is not None,
        }
        # The .json appears last and atomically: a reader that sees it sees the whole message.
        with open(base + ".eml", "wb") as f:
            f.write(content)
        with open(base + ".json.tmp", "w") as f:
            json.dump(meta, f)
        os.rename(base + ".json.tmp", base + ".json")
        return "250 Message accepted for delivery"


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
              and auth_data.password.decode() == password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data)
    return authenticate


async def serve(args):
    os.makedirs(args.dir, exist_ok=True)
    handler = SaveHandler(args.dir)
    tls = None
    if args.cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.cert, args.key)
    kwargs = {"tls_context": tls, "require_starttls": bool(args.require_starttls and tls),
              "hostname": "failsafe-test-smtp", "ident": "failsafe test SMTP"}
    if args.user:
        kwargs.update(authenticator=make_authenticator(args.user, args.password),
                      auth_required=True, auth_require_tls=False)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **kwargs), "127.0.0.1", args.port)
    port = server.sockets[0].getsockname()[1]
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(port))
    os.rename(tmp, args.port_file)
    print(port, flush=True)
    await server.serve_forever()


def main():
    warnings.simplefilter("ignore")  # aiosmtpd warns about AUTH without TLS: tests want it
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--require-starttls", action="store_true")
    p.add_argument("--user")
    p.add_argument("--password", default="")
    args = p.parse_args()
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
