#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# An emulator of UCS Manager's XML API for the sync's tests: HTTPS on
# 127.0.0.1 (a port of its choosing, printed on stdout), POSTs to /nuova
# of aaaLogin, aaaRefresh, aaaLogout and configResolveClass, answered as
# UCS Manager does (errors as the same element with errorCode and
# errorDescr). Every call is recorded, one JSON line each, in the log
# file; passwords are recorded only as right or wrong.
#
# usage: ucsm-emulator.py CERT KEY LOG PROFILES_XML VLANS_XML MODE
# MODE: ok | expire (the first configResolveClass gets 552) | error (the
# resolve of vnicProfile gets an error) | hang (it is never answered) |
# laughs (a billion laughs) | huge (50 MB)
import http.server, json, ssl, sys, threading, time, uuid
import xml.etree.ElementTree as ET

cert, key, log_path, profiles_path, vlans_path, mode = sys.argv[1:7]
USER, PASSWORD = 'admin', 's3cret!&<"x'
sessions = set()
lock = threading.Lock()
state = {'expired_once': False}

def record(entry):
    with lock, open(log_path, 'a') as f:
        f.write(json.dumps(entry) + '\n')

def error(method, code, descr):
    return ('<%s cookie="" response="yes" errorCode="%d" invocationResult="unidentified-fail" '
            'errorDescr="%s"/>' % (method, code, descr)).encode()

def login_answer(method, cookie):
    return ('<%s cookie="" response="yes" outCookie="%s" outRefreshPeriod="600" outPriv="admin" '
            'outDomains="" outChannel="noencssl" outEvtChannel="noencssl" outSessionId="" '
            'outVersion="4.1(3c)" outName="admin"/>' % (method, cookie)).encode()

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def send(self, body, status=200):
        self.send_response(status)
        self.send_header('Content-Type', 'text/xml')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        if self.path != '/nuova':
            record({'method': 'POST ' + self.path})
            return self.send(b'not found', 404)
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        req = ET.fromstring(body)
        m, a = req.tag, req.attrib
        entry = {'method': m}
        if m in ('aaaLogin', 'aaaRefresh'):
            entry.update(user=a.get('inName'), password_ok=a.get('inPassword') == PASSWORD)
            if m == 'aaaRefresh':
                entry['cookie'] = a.get('inCookie')
            record(entry)
            if a.get('inName') != USER or a.get('inPassword') != PASSWORD:
                return self.send(error(m, 551, 'Authentication failed'))
            cookie = '%d/%s' % (int(time.time()), uuid.uuid4())
            with lock:
                sessions.discard(a.get('inCookie'))
                sessions.add(cookie)
            return self.send(login_answer(m, cookie))
        if m == 'aaaLogout':
            entry['cookie'] = a.get('inCookie')
            record(entry)
            with lock:
                known = a.get('inCookie') in sessions
                sessions.discard(a.get('inCookie'))
            if not known:
                return self.send(error(m, 552, 'Authorization required'))
            return self.send(b'<aaaLogout cookie="" response="yes" outStatus="success"/>')
        if m == 'configResolveClass':
            entry.update(cookie=a.get('cookie'), classId=a.get('classId'),
                         inHierarchical=a.get('inHierarchical'))
            record(entry)
            with lock:
                known = a.get('cookie') in sessions
                if mode == 'expire' and not state['expired_once']:
                    state['expired_once'] = True
                    known = False
            if not known:
                return self.send(error(m, 552, 'Authorization required'))
            if a.get('classId') == 'fabricVlan':
                return self.send(open(vlans_path, 'rb').read())
            if mode == 'error':
                return self.send(error(m, 103, 'Class vnicProfile is not accessible'))
            if mode == 'hang':
                time.sleep(600)
            if mode == 'laughs':
                lol = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + ''.join(
                    '<!ENTITY lol%d "%s">' % (i, ('&lol%s;' % (i - 1 if i > 1 else '')) * 10)
                    for i in range(1, 10)) + ']><configResolveClass>&lol9;</configResolveClass>'
                return self.send(lol.encode())
            if mode == 'huge':
                chunk = b'<vnicProfile name="x"/>' * 1000
                body = b'<configResolveClass response="yes"><outConfigs>' + chunk * 2200 + \
                       b'</outConfigs></configResolveClass>'
                return self.send(body)
            return self.send(open(profiles_path, 'rb').read())
        record(entry)
        return self.send(error(m, 101, 'unknown method'))

class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that refuses the certificate, or gives up

srv = Server(('127.0.0.1', 0), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print(srv.server_address[1], flush=True)
srv.serve_forever()
