#!/usr/bin/python3
"""RTSP test server for camel-rtsp's interop tests, built on GStreamer's GstRtspServer.

Run with /usr/bin/python3 (Debian: python3-gi, gir1.2-gst-rtsp-server-1.0 and the GStreamer plugins named in
REQUIRED_ELEMENTS; GStreamer's own python overrides, python3-gst-1.0, are not needed).

Protocol with the parent process:
  stdout: "READY <port>" once the server listens (exit status 10 if it cannot); "OK <command>" or "ERR <command>: <reason>" per command.
  stdin:  one command per line: "drop on", "drop off", "quit". End of stdin (parent died) stops the server.
  stderr: diagnostics (client connects/disconnects, pipeline errors).
  "rtsp_server.py --check" only checks that every needed GStreamer piece is installed (see check()).
  "rtsp_server.py --list-codecs" prints the built-in --video/--audio codecs, one "<kind> <name> <summary>" a line.

Each media stream N has a valve named "vN" right before its payloader "payN"; "drop on" closes every valve,
so no RTP leaves the server while RTSP sessions (and RTCP) stay alive. A media that is still being prepared is
let through until it is prepared, so DESCRIBE/SETUP/PLAY of a new client still succeed while media is dropped.
"""

import argparse
import os
import re
import sys
import threading
import time

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

# Every video stream is a live test pattern (videotestsrc is-live=true pattern=ball), 320x240 I420 at exactly
# 15 frames per second: the caps fix framerate=15/1, so frame N has the timestamp N/15 s and consecutive frames are
# 6000 ticks apart on the 90 kHz RTP clock (+-1 where the payloader rounds). A live source never ends: tests count
# frames over a time window, not up to an end of stream.
VIDEO_SOURCE = ("videotestsrc is-live=true pattern=ball"
                " ! video/x-raw,format=I420,width=320,height=240,framerate=15/1")

# x264 settings shared by the H.264 variants other than "h264": one slice per picture (threads=1), no access unit
# delimiters, and no SPS/PPS repeated by the encoder itself (repeat-headers=0), so the payloader's config-interval
# alone decides where SPS/PPS travel. stream-format=avc hands the payloader SPS/PPS as codec_data, which it puts
# into the SDP's sprop-parameter-sets. One IDR picture per second (key-int-max=15).
X264_VARIANT = ("x264enc speed-preset=ultrafast key-int-max=15 bitrate=256 threads=1 aud=false"
                " option-string=repeat-headers=0")
H264_BASELINE = X264_VARIANT + " tune=zerolatency ! video/x-h264,profile=constrained-baseline,stream-format=avc"


class Codec:
    """One built-in stream: a pipeline fragment and the GStreamer elements it needs (checked by --check).

    In the fragment "{v}" is the valve name, "{pay}" the payloader name, "{pt}" the dynamic payload type (96 + the
    stream's index) and "{aacenc}" the AAC encoder found. The fragment must end in a payloader named {pay} preceded
    by a valve named {v}. Codecs with a static RTP payload type (RFC 3551) keep it instead of {pt}.
    """

    def __init__(self, fragment, elements, summary):
        self.fragment = fragment
        self.elements = elements
        self.summary = summary


# To add a codec, add an entry (and its elements to ELEMENT_PACKAGES); GstRtspServer.java lists the names too.
VIDEO_CODECS = {
    "h264": Codec(
        "videotestsrc is-live=true pattern=ball"
        " ! video/x-raw,width=320,height=240,framerate=15/1"
        " ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15 bitrate=256"
        " ! video/x-h264,profile=constrained-baseline"
        " ! valve name={v} ! rtph264pay name={pay} pt={pt} config-interval=1",
        ("x264enc", "rtph264pay"),
        "H.264 constrained baseline; x264's own SPS/PPS and access unit delimiters in-band, SPS/PPS also once a"
        " second from the payloader; slices per picture follow x264's sliced threads (the CPU count)"),
    "h264-inband": Codec(
        VIDEO_SOURCE + " ! " + H264_BASELINE
        + " ! valve name={v} ! rtph264pay name={pay} pt={pt} config-interval=-1",
        ("x264enc", "rtph264pay"),
        "H.264 constrained baseline; SPS and PPS as single NAL unit packets before every IDR (and in the SDP)"),
    "h264-stapa": Codec(
        VIDEO_SOURCE + " ! " + H264_BASELINE
        + " ! valve name={v} ! rtph264pay name={pay} pt={pt} config-interval=-1 aggregate-mode=zero-latency",
        ("x264enc", "rtph264pay"),
        "H.264 constrained baseline; SPS and PPS in a STAP-A before every IDR (with the IDR slice too when it"
        " fits, else the IDR follows in FU-A fragments)"),
    "h264-bframes": Codec(
        VIDEO_SOURCE + " ! " + X264_VARIANT + " bframes=2 b-adapt=false dct8x8=true"
        " ! video/x-h264,profile=high,stream-format=avc"
        " ! valve name={v} ! rtph264pay name={pay} pt={pt} config-interval=-1",
        ("x264enc", "rtph264pay"),
        "H.264 High profile with 2 B-frames between references: RTP timestamps (presentation times) go back"
        " and forth in transmission (decoding) order; SPS/PPS before every IDR"),
    "h264-sdponly": Codec(
        VIDEO_SOURCE + " ! " + H264_BASELINE
        + " ! valve name={v} ! rtph264pay name={pay} pt={pt} config-interval=0",
        ("x264enc", "rtph264pay"),
        "H.264 constrained baseline; SPS/PPS only in the SDP's sprop-parameter-sets, never in-band"),
    "h265": Codec(
        VIDEO_SOURCE + " ! x265enc tune=zerolatency speed-preset=ultrafast key-int-max=15 bitrate=256"
        " option-string=open-gop=0:info=0 ! video/x-h265,profile=main"
        " ! valve name={v} ! rtph265pay name={pay} pt={pt} config-interval=-1",
        ("x265enc", "rtph265pay"),
        "H.265 Main; VPS/SPS/PPS before every IDR (twice before the first), closed GOPs, one IDR a second"),
    "mjpeg": Codec(
        VIDEO_SOURCE + " ! jpegenc quality=50"
        " ! valve name={v} ! rtpjpegpay name={pay} pt=26",
        ("jpegenc", "rtpjpegpay"),
        "Motion JPEG (RFC 2435), static payload type 26, type 1 (4:2:0), Q=255 with in-band quantization tables"),
}

# Candidate AAC encoders, first found wins. voaacenc comes with gstreamer1.0-plugins-bad, which Debian's
# GstRtspServer library already depends on; avenc_aac (gstreamer1.0-libav) is the fallback.
AAC_ENCODERS = ("voaacenc", "avenc_aac", "fdkaacenc", "faac")


def audio_source(rate, samples, raw_format=""):
    """A live 440 Hz mono sine at rate Hz, in buffers of samples samples (the packet duration of simple codecs)."""
    return ("audiotestsrc is-live=true wave=sine freq=440 samplesperbuffer=%d ! audio/x-raw,%srate=%d,channels=1"
            % (samples, "format=%s," % raw_format if raw_format else "", rate))


AUDIO_CODECS = {
    "aac": Codec(
        "audiotestsrc is-live=true wave=sine freq=440 samplesperbuffer=1024"
        " ! audio/x-raw,rate=44100,channels=1"
        " ! audioconvert ! audioresample ! {aacenc} bitrate=64000"
        " ! valve name={v} ! rtpmp4gpay name={pay} pt={pt}",
        ("audioconvert", "audioresample", "rtpmp4gpay"),
        "AAC-LC 44.1 kHz mono, RFC 3640 MPEG4-GENERIC mode AAC-hbr, one access unit per packet"),
    "aac-latm": Codec(
        audio_source(44100, 1024) + " ! audioconvert ! {aacenc} bitrate=64000"
        " ! valve name={v} ! rtpmp4apay name={pay} pt={pt}",
        ("audioconvert", "rtpmp4apay"),
        "AAC-LC 44.1 kHz mono, RFC 3016 MP4A-LATM with cpresent=0 (StreamMuxConfig only in the SDP's config)"),
    "opus": Codec(
        audio_source(48000, 960) + " ! opusenc bitrate=32000 frame-size=20"
        " ! valve name={v} ! rtpopuspay name={pay} pt={pt}",
        ("opusenc", "rtpopuspay"),
        "Opus (RFC 7587) mono, 20 ms frames, OPUS/48000/2 with sprop-stereo=0"),
    "pcmu": Codec(
        audio_source(8000, 160) + " ! mulawenc ! valve name={v} ! rtppcmupay name={pay} pt=0",
        ("mulawenc", "rtppcmupay"),
        "G.711 mu-law 8 kHz mono, static payload type 0, 20 ms (160 samples) per packet"),
    "pcma": Codec(
        audio_source(8000, 160) + " ! alawenc ! valve name={v} ! rtppcmapay name={pay} pt=8",
        ("alawenc", "rtppcmapay"),
        "G.711 A-law 8 kHz mono, static payload type 8, 20 ms (160 samples) per packet"),
    "g722": Codec(
        audio_source(16000, 320) + " ! avenc_g722 ! valve name={v} ! rtpg722pay name={pay} pt=9",
        ("avenc_g722", "rtpg722pay"),
        "G.722 16 kHz mono, static payload type 9 whose RTP clock is 8000 Hz (RFC 3551), 20 ms per packet"),
    "l16": Codec(
        audio_source(16000, 320, "S16BE") + " ! valve name={v} ! rtpL16pay name={pay} pt={pt}",
        ("rtpL16pay",),
        "Linear 16-bit big-endian PCM (L16/16000/1), 20 ms (320 samples) per packet"),
}

# Debian package of every element the server and the built-in codecs use; --check requires all of them.
ELEMENT_PACKAGES = {
    "valve": "libgstreamer1.0-0",
    "videotestsrc": "gstreamer1.0-plugins-base",
    "audiotestsrc": "gstreamer1.0-plugins-base",
    "audioconvert": "gstreamer1.0-plugins-base",
    "audioresample": "gstreamer1.0-plugins-base",
    "appsink": "gstreamer1.0-plugins-base",
    "opusenc": "gstreamer1.0-plugins-base",
    "x264enc": "gstreamer1.0-plugins-ugly",
    "x265enc": "gstreamer1.0-plugins-bad",
    "jpegenc": "gstreamer1.0-plugins-good",
    "mulawenc": "gstreamer1.0-plugins-good",
    "alawenc": "gstreamer1.0-plugins-good",
    "avenc_g722": "gstreamer1.0-libav",
    "rtph264pay": "gstreamer1.0-plugins-good",
    "rtph265pay": "gstreamer1.0-plugins-good",
    "rtpjpegpay": "gstreamer1.0-plugins-good",
    "rtpmp4gpay": "gstreamer1.0-plugins-good",
    "rtpmp4apay": "gstreamer1.0-plugins-good",
    "rtpopuspay": "gstreamer1.0-plugins-good",
    "rtppcmupay": "gstreamer1.0-plugins-good",
    "rtppcmapay": "gstreamer1.0-plugins-good",
    "rtpg722pay": "gstreamer1.0-plugins-good",
    "rtpL16pay": "gstreamer1.0-plugins-good",
    "rtpbin": "gstreamer1.0-plugins-good",
    "udpsink": "gstreamer1.0-plugins-good",
}


def required_elements():
    """(element, Debian package) of GstRtspServer's own needs and of every built-in codec, without repeats."""
    names = ["valve", "videotestsrc", "audiotestsrc", "appsink", "rtpbin", "udpsink"]
    for codec in list(VIDEO_CODECS.values()) + list(AUDIO_CODECS.values()):
        names.extend(codec.elements)
    seen = []
    for name in names:
        if name not in seen:
            seen.append(name)
    return tuple((name, ELEMENT_PACKAGES[name]) for name in seen)


REQUIRED_ELEMENTS = required_elements()

# How long a DESCRIBE or SETUP waits for a shared media that is being torn down (see MediaControl.wait_unprepared).
UNPREPARE_WAIT_SECONDS = 5.0

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
        parts.append(VIDEO_CODECS[args.video].fragment.format(v="v%d" % index, pay="pay%d" % index, pt=96 + index))
        index += 1
    if args.audio != "none":
        encoder = None
        if "{aacenc}" in AUDIO_CODECS[args.audio].fragment:
            encoder = first_available(AAC_ENCODERS)
            if encoder is None:
                raise SystemExit("rtsp_server.py: no AAC encoder found (install gstreamer1.0-plugins-bad for voaacenc)")
        parts.append(AUDIO_CODECS[args.audio].fragment.format(
            v="v%d" % index, pay="pay%d" % index, pt=96 + index, aacenc=encoder))
        index += 1
    if index == 0:
        raise SystemExit("rtsp_server.py: nothing to serve: --video none and --audio none without --launch")
    return "( " + " ".join(parts) + " )"


def list_codecs():
    """Prints one "<video|audio> <name> <summary>" line per built-in codec (GstRtspServerCodecsTest reads it)."""
    for kind, codecs in (("video", VIDEO_CODECS), ("audio", AUDIO_CODECS)):
        for name, codec in codecs.items():
            reply("%s %s %s" % (kind, name, codec.summary))
    return 0


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

    def __init__(self, seekable=False):
        self.lock = threading.Lock()
        self.seekable = seekable
        self.dropping = False
        self.medias = []
        self.prepared = []

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
        # --seekable (a file-backed --launch): seeking is what the test wants, so the query is left alone.
        for pay in ([] if self.seekable else self.elements(media, PAY_NAME)):
            pad = pay.get_static_pad("src")
            if pad is not None:
                pad.add_probe(Gst.PadProbeType.QUERY_UPSTREAM, self.refuse_seeking)
        media.connect("prepared", self.on_prepared)
        # After the factory's own handler, which drops the media from its cache of shared medias.
        media.connect_after("unprepared", self.on_unprepared)
        with self.lock:
            self.medias.append(media)

    def on_prepared(self, media):
        with self.lock:
            dropping = self.dropping
        with self.lock:
            self.prepared.append(media)
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
            if media in self.prepared:
                self.prepared.remove(media)

    def wait_unprepared(self, client, context):
        """Holds a DESCRIBE/SETUP while a shared media is being torn down, then lets it go on.

        Tearing down a pipeline takes a while (x265enc especially) and goes on after the TEARDOWN was answered.
        Until it is done GstRtspServer still hands the dying shared media to new requests and answers them 503, so a
        client connecting right after the last one left would fail at random. A request checked here just before
        the teardown starts can still get 503 (a race this hook cannot close). Runs on the requesting client's own
        thread; bounded by UNPREPARE_WAIT_SECONDS.
        """
        deadline = time.monotonic() + UNPREPARE_WAIT_SECONDS
        waited = False
        while True:
            with self.lock:
                # Only medias that were prepared: get_status() blocks while a media is still preparing.
                candidates = list(self.prepared)
            dying = [m for m in candidates if m.get_status() in (GstRtspServer.RTSPMediaStatus.UNPREPARING,
                                                                  GstRtspServer.RTSPMediaStatus.UNPREPARED)]
            if not dying:
                break
            if time.monotonic() > deadline:
                log("a media is still being unprepared after %.1f s; the request goes on" % UNPREPARE_WAIT_SECONDS)
                break
            waited = True
            time.sleep(0.02)
        if waited:
            log("request held until the previous shared media was unprepared")
        return GstRtsp.RTSPStatusCode.OK

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
    if "--list-codecs" in sys.argv[1:]:
        return list_codecs()
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
    parser.add_argument("--seekable", action="store_true",
                        help="let clients seek (PLAY with Range): for a file-backed --launch pipeline with --not-shared")
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
    control = MediaControl(args.seekable)
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
        client.connect("pre-describe-request", control.wait_unprepared)
        client.connect("pre-setup-request", control.wait_unprepared)
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
