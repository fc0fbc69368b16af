#!/usr/bin/env bash
# Installs the third-party programs the interop tests run against (Debian 12 packages).
# Idempotent; needs root (uses sudo when not root).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
packages=(
  python3 python3-gi python3-gst-1.0        # the GStreamer RTSP server script runs on /usr/bin/python3
  gir1.2-gst-rtsp-server-1.0                # GstRtspServer introspection bindings
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good  # videotestsrc, audiotestsrc, RTP payloaders, valve
  gstreamer1.0-plugins-bad                  # h265parse, rtp extras
  gstreamer1.0-plugins-ugly                 # x264enc
  gstreamer1.0-libav                        # avenc_aac
  gstreamer1.0-rtsp                         # rtspclientsink: publishes into the embedded server with RECORD
  gstreamer1.0-tools                        # gst-launch-1.0: RTP captures, rtspsrc players, rtspclientsink publishers
  ffmpeg                                    # ffprobe/ffmpeg: independent client and decoder
  glib-networking                           # TLS backend GStreamer uses for RTSPS
  openssl                                   # test certificates for RTSPS
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
