#!/usr/bin/python3
"""RTSP test server for camel-rtsp's interop tests, built on GStreamer's GstRtspServer.

Run with /usr/bin/python3 (Debian: python3-gi, gir1.2-gst-rtsp-server-1.0 and the GStreamer plugins named in
REQUIRED_ELEMENTS; GStreamer's own python overrides, python3-gst-1.0, are not needed).

Protocol with the parent process:
  stdout: "READY <port>" once the server listens (exit status 10 if it cannot); "OK <command>" or "ERR <command>: <reason>" per command.
  stdin:  one command per line: "drop on", "drop off", "quit". End of stdin (parent died) stops the server.
  stderr: diagnostics (client connects/disconnects, pipeline errors).
  "rtsp_server.py --check" only checks that every needed GStreamer piece is installed (see check()).

Each media stream N has a valve named "vN" right before its payloader "payN"; "drop on" closes every valve,
so no RTP leaves the server while RTSP sessions (and RTCP) stay alive. A media that is still being prepared is
let through until it is prepared, so DESCRIBE/SETUP/PLAY of a new client still succeed while media is dropped.
"""

import argparse
import os
import re
import sys
import threading

# (module, Debian package) imported at start; a failure is reported by --check, which names the package.
IMPORT_ERRORS = []
try:
    import gi
except ImportError as e:
    IMPORT_ERRORS.append(("python3-gi", "python module gi: %s" % e))
else:
    for namespace, package in (("Gst", "gir1.2-gstreamer-1.0"), ("GstRtsp", "gir1.2-gst-plugins-base-1.0"),
                               ("GstRtspServer", "gir1.2-gst-rtsp-server-1.0")):
        try:
            gi.require_version(namespace, "1.0")
        except ValueError as e:
            IMPORT_ERRORS.append((package, "GObject introspection for %s: %s" % (namespace, e)))
if not IMPORT_ERRORS:
    from gi.repository import Gio, GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

# Pipeline fragments per codec. "{v}" is the valve name, "{pay}" the payloader name, "{pt}" the payload type.
# To add a codec, add an entry; the fragment must end in a payloader named {pay} preceded by a valve named {v}.
VIDEO_CODECS = {
    "h264": (
        "videotestsrc is-live=true pattern=ball"
        " ! video/x-raw,width=320,height=240,framerate=15/1"
        " ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15 bitrate=256"
        " ! video/x-h264,profile=constrained-baseline"
        " ! valve name={v} ! rtph264pay name={pay} pt={pt} config-interval=1"
    ),
}

# Candidate AAC encoders, first found wins. voaacenc comes with gstreamer1.0-plugins-bad, which Debian's
# GstRtspServer library already depends on; avenc_aac (gstreamer1.0-libav) is the fallback.
AAC_ENCODERS = ("voaacenc", "avenc_aac", "fdkaacenc", "faac")

AUDIO_CODECS = {
    "aac": (
        "audiotestsrc is-live=true wave=sine freq=440 samplesperbuffer=1024"
        " ! audio/x-raw,rate=44100,channels=1"
        " ! audioconvert ! audioresample ! {aacenc} bitrate=64000"
        " ! valve name={v} ! rtpmp4gpay name={pay} pt={pt}"
    ),
}

# (element, Debian package) the built-in codecs and GstRtspServer itself need; checked by --check.
REQUIRED_ELEMENTS = (
    ("valve", "libgstreamer1.0-0"),
    ("videotestsrc", "gstreamer1.0-plugins-base"),
    ("audiotestsrc", "gstreamer1.0-plugins-base"),
    ("audioconvert", "gstreamer1.0-plugins-base"),
    ("audioresample", "gstreamer1.0-plugins-base"),
    ("appsink", "gstreamer1.0-plugins-base"),
    ("x264enc", "gstreamer1.0-plugins-ugly"),
    ("rtph264pay", "gstreamer1.0-plugins-good"),
    ("rtpmp4gpay", "gstreamer1.0-plugins-good"),
    ("rtpbin", "gstreamer1.0-plugins-good"),
    ("udpsink", "gstreamer1.0-plugins-good"),
)

# Exit status when the port cannot be bound (argparse uses 2 for bad options), so the caller can pick another port.
EXIT_CANNOT_LISTEN = 10

VALVE_NAME = re.compile(r"^v\d+$")
PAY_NAME = re.compile(r"^pay\d+$")
VALVE_IN_LAUNCH = re.compile(r"\bvalve\b[^!]*\bname=v\d+\b")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def reply(msg):
    sys.stdout.write(msg + "\n")
    sys.stdout.flush()


def first_available(names):
    for name in names:
        if Gst.ElementFactory.find(name) is not None:
            return name
    return None


def build_launch(args):
    if args.launch:
        return args.launch
    parts = []
    index = 0
    if args.video != "none":
        parts.append(VIDEO_CODECS[args.video].format(v="v%d" % index, pay="pay%d" % index, pt=96 + index))
        index += 1
    if args.audio != "none":
        encoder = first_available(AAC_ENCODERS)
        if encoder is None:
            raise SystemExit("rtsp_server.py: no AAC encoder found (install gstreamer1.0-plugins-bad for voaacenc)")
        parts.append(AUDIO_CODECS[args.audio].format(
            v="v%d" % index, pay="pay%d" % index, pt=96 + index, aacenc=encoder))
        index += 1
    if index == 0:
        raise SystemExit("rtsp_server.py: nothing to serve: --video none and --audio none without --launch")
    return "( " + " ".join(parts) + " )"


def parse_protocols(text):
    flags = GstRtsp.RTSPLowerTrans.UNKNOWN
    for item in text.split(","):
        item = item.strip().lower()
        if item == "tcp":
            flags |= GstRtsp.RTSPLowerTrans.TCP
        elif item == "udp":
            flags |= GstRtsp.RTSPLowerTrans.UDP
        elif item == "udp-mcast":
            flags |= GstRtsp.RTSPLowerTrans.UDP_MCAST
        else:
            raise SystemExit("rtsp_server.py: unknown protocol %r (use tcp, udp, udp-mcast)" % item)
    return flags


class MediaControl:
    """Tracks live medias, makes them non-seekable like a camera and opens/closes their valves.

    Signal handlers run on GstRtspServer's client threads and commands on the stdin thread, hence the lock.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.dropping = False
        self.medias = []

    @staticmethod
    def elements(media, pattern):
        element = media.get_element()
        found = []
        if element is None:
            return found
        iterator = element.iterate_recurse()
        while True:
            result, item = iterator.next()
            if result == Gst.IteratorResult.OK:
                if pattern.match(item.get_name()):
                    found.append(item)
            elif result == Gst.IteratorResult.RESYNC:
                iterator.resync()
                found = []
            else:
                return found

    @staticmethod
    def valves(media):
        return [e for e in MediaControl.elements(media, VALVE_NAME)
                if e.get_factory() is not None and e.get_factory().get_name() == "valve"]

    @staticmethod
    def refuse_seeking(pad, info):
        query = info.get_query()
        if query is not None and query.type == Gst.QueryType.SEEKING:
            # A new seeking query already says "not seekable"; HANDLED answers it as it is. (PyGObject holds an
            # extra reference, so the query cannot be written to from here.)
            return Gst.PadProbeReturn.HANDLED
        return Gst.PadProbeReturn.OK

    def on_media_configure(self, factory, media):
        log("media configured: %d stream(s)" % media.n_streams())
        # A live camera stream cannot be seeked. Without this, GstRtspServer seeks a shared live media on every
        # PLAY with a Range header and then waits for data, which never comes while the valves drop.
        for pay in self.elements(media, PAY_NAME):
            pad = pay.get_static_pad("src")
            if pad is not None:
                pad.add_probe(Gst.PadProbeType.QUERY_UPSTREAM, self.refuse_seeking)
        media.connect("prepared", self.on_prepared)
        media.connect("unprepared", self.on_unprepared)
        with self.lock:
            self.medias.append(media)

    def on_prepared(self, media):
        with self.lock:
            dropping = self.dropping
        log("media prepared")
        # Closed only once prepared: preparing a live media needs one buffer per stream.
        if dropping:
            for valve in self.valves(media):
                valve.set_property("drop", True)

    def on_unprepared(self, media):
        log("media unprepared")
        with self.lock:
            if media in self.medias:
                self.medias.remove(media)

    def set_dropping(self, dropping):
        with self.lock:
            self.dropping = dropping
            medias = list(self.medias)
        total = 0
        for media in medias:
            if not dropping or media.get_status() == GstRtspServer.RTSPMediaStatus.PREPARED:
                for valve in self.valves(media):
                    valve.set_property("drop", dropping)
                    total += 1
        return total


def check():
    """Prints one "MISSING <debian-package>: <what>" line per missing piece, or "CHECK OK"; returns the exit code."""
    missing = list(IMPORT_ERRORS)
    have_gi = not any(package == "python3-gi" for package, _ in missing)
    have_gst = have_gi and not any(package == "gir1.2-gstreamer-1.0" for package, _ in missing)
    if have_gst:
        # Check the plugins even when only GstRtspServer's introspection is missing, to name every package at once.
        from gi.repository import Gio as gio, Gst as gst
        gst.init(None)
        for element, package in REQUIRED_ELEMENTS:
            if gst.ElementFactory.find(element) is None:
                missing.append((package, "GStreamer element %s" % element))
        if not any(gst.ElementFactory.find(name) is not None for name in AAC_ENCODERS):
            missing.append(("gstreamer1.0-plugins-bad", "an AAC encoder (one of %s)" % ", ".join(AAC_ENCODERS)))
        backend = gio.TlsBackend.get_default()
        if backend is None or not backend.supports_tls():
            missing.append(("glib-networking", "a GIO TLS backend (needed for RTSPS)"))
    for package, what in missing:
        reply("MISSING %s: %s" % (package, what))
    if not missing:
        reply("CHECK OK %s" % Gst.version_string())
    return 1 if missing else 0


def main():
    if "--check" in sys.argv[1:]:
        return check()
    if IMPORT_ERRORS:
        for package, what in IMPORT_ERRORS:
            log("rtsp_server.py: missing %s (Debian package %s)" % (what, package))
        return 4
    parser = argparse.ArgumentParser(description="GstRtspServer test server for camel-rtsp")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--mount", default="/test")
    parser.add_argument("--video", default="h264", choices=sorted(VIDEO_CODECS) + ["none"])
    parser.add_argument("--audio", default="none", choices=sorted(AUDIO_CODECS) + ["none"])
    parser.add_argument("--launch", help="gst-launch description overriding --video/--audio; "
                                         "payloaders must be named pay0, pay1, ... and valves v0, v1, ...")
    parser.add_argument("--protocols", default="tcp,udp")
    parser.add_argument("--shared", dest="shared", action="store_true", default=True)
    parser.add_argument("--not-shared", dest="shared", action="store_false")
    parser.add_argument("--auth", default="none", choices=["none", "basic", "digest"])
    parser.add_argument("--user", default="user")
    parser.add_argument("--password", default="pass")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()
    if not args.mount.startswith("/"):
        parser.error("--mount must start with /")
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")

    Gst.init(None)
    launch = build_launch(args)
    has_valves = VALVE_IN_LAUNCH.search(launch) is not None
    log("launch: %s" % launch)

    server = GstRtspServer.RTSPServer()
    server.set_address(args.address)
    server.set_service(str(args.port))
    # Each client gets its own thread, so one client stuck in a request does not stall the others.
    server.get_thread_pool().set_max_threads(16)

    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    factory.set_shared(args.shared)
    factory.set_protocols(parse_protocols(args.protocols))
    control = MediaControl()
    factory.connect("media-configure", control.on_media_configure)

    if args.auth != "none" or args.tls_cert:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
        if args.auth == "basic":
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password), token)
        elif args.auth == "digest":
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
            auth.add_digest(args.user, args.password, token)
        else:
            # TLS without credentials: anonymous clients get the same rights as an authenticated user.
            auth.set_default_token(token)
        if args.tls_cert:
            try:
                cert = Gio.TlsCertificate.new_from_files(args.tls_cert, args.tls_key)
            except GLib.Error as e:
                log("rtsp_server.py: cannot load TLS certificate/key: %s" % e.message)
                return 3
            auth.set_tls_certificate(cert)
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_permission_for_role("user", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
        permissions.add_permission_for_role("user", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
        factory.set_permissions(permissions)
        server.set_auth(auth)

    server.get_mount_points().add_factory(args.mount, factory)

    def on_client_connected(srv, client):
        conn = client.get_connection()
        peer = conn.get_ip() if conn is not None else "?"
        log("client connected: %s" % peer)
        client.connect("closed", lambda c: log("client disconnected: %s" % peer))

    server.connect("client-connected", on_client_connected)

    try:
        source = server.create_source(None)
    except GLib.Error as e:
        log("rtsp_server.py: cannot listen on %s:%d: %s" % (args.address, args.port, e.message))
        return EXIT_CANNOT_LISTEN
    source.attach(None)
    port = server.get_bound_port()

    loop = GLib.MainLoop()
    stopped = threading.Event()

    def stop(reason):
        log("stopping: %s" % reason)
        GLib.idle_add(loop.quit)
        # A client request blocked inside GstRtspServer can keep the loop from quitting: do not wait forever.
        if not stopped.wait(3):
            log("main loop did not stop, exiting hard")
            sys.stderr.flush()
            os._exit(0)

    def read_commands():
        # Commands run on this thread, not the main loop, so they work even while a request is blocked there.
        for line in sys.stdin:
            cmd = " ".join(line.split())
            if cmd in ("drop on", "drop off") and not has_valves:
                reply("ERR %s: the pipeline has no valve named v0, v1, ... to switch" % cmd)
            elif cmd in ("drop on", "drop off"):
                n = control.set_dropping(cmd == "drop on")
                log("%s: %d valve(s) switched" % (cmd, n))
                reply("OK " + cmd)
            elif cmd == "quit":
                reply("OK quit")
                stop("quit command")
                return
            elif cmd:
                reply("ERR %s: unknown command" % cmd)
        stop("stdin closed")

    # Session timeouts are only noticed when the pool is cleaned up: do it every few seconds.
    pool = server.get_session_pool()
    GLib.timeout_add_seconds(2, lambda: (pool.cleanup(), True)[1])

    reply("READY %d" % port)
    threading.Thread(target=read_commands, name="stdin", daemon=True).start()
    log("serving rtsp%s://%s:%d%s" % ("s" if args.tls_cert else "", args.address, port, args.mount))
    loop.run()
    stopped.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
