package io.github.camelrtsp;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import io.github.camelrtsp.client.TransportMode;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Options of an {@code rtsp} endpoint. Set on the component, they are the defaults of every endpoint, which gets its
 * own {@link #copy()}.
 */
@UriParams
public class RtspConfiguration implements Cloneable {

    /** Media types a track can have, plus {@code all}. */
    private static final Set<String> MEDIA_TYPES = Set.of("video", "audio", "application", "all");

    @UriParam(label = "consumer", defaultValue = "tcp", enums = "tcp,udp,auto")
    private String transport = "tcp";
    @UriParam(label = "consumer", defaultValue = "video,audio")
    private String media = "video,audio";
    @UriParam(label = "consumer", defaultValue = "frame", enums = "frame,packet,fmp4")
    private String output = "frame";
    @UriParam(label = "consumer", defaultValue = "10s", javaType = "java.time.Duration")
    private long segmentDuration = 10_000;
    @UriParam(label = "consumer,advanced", defaultValue = "0", javaType = "java.time.Duration")
    private long fragmentDuration;
    @UriParam(label = "consumer,advanced", defaultValue = "segment", enums = "segment,fragment")
    private String fmp4Delivery = "segment";
    @UriParam(label = "consumer,advanced", defaultValue = "4194304")
    private int maxFrameSize = 4 * 1024 * 1024;
    @UriParam(label = "consumer,advanced", defaultValue = "64")
    private int reorderPackets = 64;
    @UriParam(label = "consumer,advanced")
    private String udpPortRange;
    @UriParam(label = "consumer,advanced", defaultValue = "100", javaType = "java.time.Duration")
    private long reorderDelay = 100;
    @UriParam(label = "security", secret = true)
    private String username;
    @UriParam(label = "security", secret = true)
    private String password;
    @UriParam(label = "security")
    private SSLContextParameters sslContextParameters;
    @UriParam(label = "security", defaultValue = "true", security = "insecure:ssl", insecureValue = "false")
    private boolean verifyHostname = true;
    @UriParam(label = "consumer,advanced", defaultValue = "10s", javaType = "java.time.Duration")
    private long connectTimeout = 10_000;
    @UriParam(label = "consumer,advanced", defaultValue = "10s", javaType = "java.time.Duration")
    private long requestTimeout = 10_000;
    @UriParam(label = "consumer", defaultValue = "10s", javaType = "java.time.Duration")
    private long receiveTimeout = 10_000;
    @UriParam(label = "consumer,advanced", defaultValue = "3s", javaType = "java.time.Duration")
    private long udpFallbackTimeout = 3_000;
    @UriParam(label = "consumer", defaultValue = "1s", javaType = "java.time.Duration")
    private long reconnectDelay = 1_000;
    @UriParam(label = "consumer", defaultValue = "30s", javaType = "java.time.Duration")
    private long maxReconnectDelay = 30_000;
    @UriParam(label = "consumer", defaultValue = "-1")
    private int maxReconnectAttempts = -1;
    @UriParam(label = "consumer,advanced", defaultValue = "camel-rtsp")
    private String userAgent = "camel-rtsp";
    @UriParam(label = "consumer", defaultValue = "1000")
    private int maxQueueSize = 1000;
    @UriParam(label = "consumer")
    private String range;
    @UriParam(label = "consumer")
    private String scale;
    @UriParam(label = "consumer")
    private String speed;
    @UriParam(label = "producer", enums = "OPTIONS,DESCRIBE,SETUP,PLAY,PAUSE,TEARDOWN,GET_PARAMETER,SET_PARAMETER,"
                                          + "ANNOUNCE,RECORD")
    private String method;
    @UriParam(label = "producer", defaultValue = "true")
    private boolean throwExceptionOnFailure = true;
    @UriParam(label = "producer")
    private String consumerRouteId;
    @UriParam(label = "producer,advanced")
    private HeaderFilterStrategy headerFilterStrategy;
    @UriParam(label = "producer", defaultValue = "false")
    private boolean publish;
    @UriParam(label = "producer", defaultValue = "0")
    private int publishTracks;
    @UriParam(label = "producer", defaultValue = "2s", javaType = "java.time.Duration")
    private long publishTrackTimeout = 2_000;
    @UriParam(label = "producer,advanced", defaultValue = "1000")
    private int publishQueueSize = 1000;
    @UriParam(label = "producer,advanced", defaultValue = "4194304")
    private int publishWriteBufferSize = 4 * 1024 * 1024;
    @UriParam(label = "producer,advanced", defaultValue = "1400")
    private int publishMtu = 1400;

    /** A copy that can be changed without affecting this configuration. */
    public RtspConfiguration copy() {
        try {
            return (RtspConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /**
     * Checks the option values together; throws {@link IllegalArgumentException} naming the bad option.
     */
    public void validate() {
        transportMode();
        mediaTypes();
        if (!"packet".equalsIgnoreCase(output) && !"frame".equalsIgnoreCase(output)
            && !"fmp4".equalsIgnoreCase(output)) {
            throw new IllegalArgumentException("Option output=" + output
                                               + " is not supported: use packet, frame or fmp4");
        }
        requirePositive("segmentDuration", segmentDuration);
        if (fragmentDuration < 0) {
            throw new IllegalArgumentException("Option fragmentDuration must not be negative, was "
                                               + fragmentDuration);
        }
        if (!"segment".equalsIgnoreCase(fmp4Delivery) && !"fragment".equalsIgnoreCase(fmp4Delivery)) {
            throw new IllegalArgumentException("Option fmp4Delivery=" + fmp4Delivery
                                               + " is not supported: use segment or fragment");
        }
        if (isFragmentDelivery() && isFmp4Output() && fragmentDuration <= 0) {
            throw new IllegalArgumentException("Option fmp4Delivery=fragment needs a positive fragmentDuration");
        }
        if (maxFrameSize < 1024) {
            throw new IllegalArgumentException("Option maxFrameSize must be at least 1024 bytes, was " + maxFrameSize);
        }
        if (reorderPackets < 1 || reorderPackets > 32768) {
            throw new IllegalArgumentException("Option reorderPackets must be between 1 and 32768, was "
                                               + reorderPackets);
        }
        udpPorts();
        if (reorderDelay < 0) {
            throw new IllegalArgumentException("Option reorderDelay must not be negative, was " + reorderDelay);
        }
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("requestTimeout", requestTimeout);
        requirePositive("receiveTimeout", receiveTimeout);
        requirePositive("udpFallbackTimeout", udpFallbackTimeout);
        requirePositive("reconnectDelay", reconnectDelay);
        if (maxReconnectDelay < reconnectDelay) {
            throw new IllegalArgumentException("Option maxReconnectDelay (" + maxReconnectDelay
                                               + " ms) must not be less than reconnectDelay (" + reconnectDelay
                                               + " ms)");
        }
        if (maxReconnectAttempts < -1) {
            throw new IllegalArgumentException("Option maxReconnectAttempts must be -1 (forever) or >= 0, was "
                                               + maxReconnectAttempts);
        }
        if (maxQueueSize < 2) {
            throw new IllegalArgumentException("Option maxQueueSize must be at least 2, was " + maxQueueSize);
        }
        checkRange(range, "Option range");
        checkDecimal(scale, "scale");
        checkDecimal(speed, "speed");
        if (method != null) {
            checkMethod(method);
        }
        validatePublish();
    }

    /** RTSP methods the producer sends. */
    static final Set<String> METHODS = Set.of("OPTIONS", "DESCRIBE", "SETUP", "PLAY", "PAUSE", "TEARDOWN",
            "GET_PARAMETER", "SET_PARAMETER", "ANNOUNCE", "RECORD");
    private static final Set<String> RANGE_UNITS = Set.of("npt", "clock", "smpte", "smpte-30-drop", "smpte-25");

    /** The method in upper case; throws IllegalArgumentException when it is not one the producer sends. */
    static String checkMethod(String value) {
        String m = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(m)) {
            throw new IllegalArgumentException("RTSP method '" + value + "' is not supported: use one of OPTIONS,"
                                               + " DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER,"
                                               + " SET_PARAMETER, ANNOUNCE, RECORD");
        }
        return m;
    }

    /** Checks a Range value (npt, clock or smpte forms); null passes. */
    static void checkRange(String value, String what) {
        if (value == null) {
            return;
        }
        io.github.camelrtsp.headers.RangeHeader r;
        try {
            r = io.github.camelrtsp.headers.RangeHeader.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + value + "' is not a Range: " + e.getMessage()
                                               + " (examples: npt=10-, clock=20261125T100000Z-, smpte=0:10:00-)");
        }
        if (!RANGE_UNITS.contains(r.unit().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(what + " '" + value + "' has the unknown unit '" + r.unit()
                                               + "': use npt, clock, smpte, smpte-30-drop or smpte-25");
        }
    }

    private static void checkDecimal(String value, String name) {
        if (value == null) {
            return;
        }
        try {
            Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Option " + name + " must be a decimal number such as 2 or -1.5, was "
                                               + value);
        }
    }

    private void validatePublish() {
        if (publishTracks < 0 || publishTracks > 32) {
            throw new IllegalArgumentException("Option publishTracks must be between 0 and 32, was " + publishTracks);
        }
        if (publishTrackTimeout < 0) {
            throw new IllegalArgumentException("Option publishTrackTimeout must not be negative, was "
                                               + publishTrackTimeout);
        }
        if (publishQueueSize < 2) {
            throw new IllegalArgumentException("Option publishQueueSize must be at least 2, was " + publishQueueSize);
        }
        if (publishWriteBufferSize < 65536) {
            throw new IllegalArgumentException("Option publishWriteBufferSize must be at least 65536 bytes, was "
                                               + publishWriteBufferSize);
        }
        if (publishMtu < 576 || publishMtu > 65535) {
            throw new IllegalArgumentException("Option publishMtu must be between 576 and 65535, was " + publishMtu);
        }
    }

    private static void requirePositive(String name, long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException("Option " + name + " must be a positive duration, was " + millis
                                               + " ms");
        }
    }

    /** The {@link #getTransport() transport} option as the client's enum. */
    public TransportMode transportMode() {
        String value = transport == null ? "" : transport.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "tcp":
                return TransportMode.TCP;
            case "udp":
                return TransportMode.UDP;
            case "auto":
                return TransportMode.AUTO;
            default:
                throw new IllegalArgumentException("Option transport=" + transport + " is not one of tcp, udp, auto");
        }
    }

    /** The {@link #getMedia() media} option as a set of lower-case media types ({@code all} kept as is). */
    public Set<String> mediaTypes() {
        Set<String> types = new LinkedHashSet<>();
        if (media != null) {
            for (String part : media.split(",")) {
                String type = part.trim().toLowerCase(Locale.ROOT);
                if (type.isEmpty()) {
                    continue;
                }
                if (!MEDIA_TYPES.contains(type)) {
                    throw new IllegalArgumentException("Option media=" + media + " has an unknown media type '" + type
                                                       + "': use video, audio, application or all");
                }
                types.add(type);
            }
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("Option media must name at least one media type (video, audio,"
                                               + " application or all)");
        }
        return types.contains("all") ? Set.of("all") : types;
    }

    /** The transport option: tcp, udp or auto. */
    public String getTransport() {
        return transport;
    }

    /**
     * How RTP reaches the consumer. tcp: interleaved in the RTSP connection; no loss, and a slow route slows the
     * camera down instead of losing packets; works through NAT and firewalls. udp: separate RTP/RTCP ports; lowest
     * latency, but packets are lost on a lossy network or dropped when the route cannot keep up, and it does not pass
     * NAT. auto: tries udp and switches to tcp when the server refuses udp or no RTP arrives within
     * udpFallbackTimeout.
     */
    public void setTransport(String transport) {
        this.transport = transport;
    }

    /** The media option as written. */
    public String getMedia() {
        return media;
    }

    /**
     * Comma-separated media types of the SDP to set up and receive: video, audio, application (for example ONVIF
     * metadata), or all.
     */
    public void setMedia(String media) {
        this.media = media;
    }

    /** The output option. */
    public String getOutput() {
        return output;
    }

    /**
     * What each exchange carries. frame: one exchange per whole media frame (an access unit for video), rebuilt from
     * the RTP packets, with timing and key-frame headers; the body's layout depends on the codec (Annex B for
     * H.264/H.265, a JPEG image for MJPEG, an ADTS frame for AAC, one codec frame for audio formats). packet: one
     * exchange per RTP packet, the body being the RTP payload. fmp4: one exchange per segment of about
     * segmentDuration, the body being a self-contained, playable fragmented MP4 (init segment and media fragments)
     * with the session's H.264 or H.265 video and AAC, Opus, PCMU or PCMA audio, cut at video key frames.
     */
    public void setOutput(String output) {
        this.output = output;
    }

    /** Whether the output is whole frames. */
    public boolean isFrameOutput() {
        return "frame".equalsIgnoreCase(output);
    }

    /** Whether the output is fragmented MP4 segments. */
    public boolean isFmp4Output() {
        return "fmp4".equalsIgnoreCase(output);
    }

    /** The segmentDuration option in milliseconds. */
    public long getSegmentDuration() {
        return segmentDuration;
    }

    /**
     * output=fmp4: the target duration of a segment. A segment is cut at the first video key frame at least this
     * long after its start (audio-only sessions are cut on time), so segments last this long plus up to one key
     * frame interval.
     */
    public void setSegmentDuration(long segmentDuration) {
        this.segmentDuration = segmentDuration;
    }

    /** The fragmentDuration option in milliseconds. */
    public long getFragmentDuration() {
        return fragmentDuration;
    }

    /**
     * output=fmp4: 0 writes each segment as one fragment (one moof and mdat after the init segment); a positive
     * duration splits each segment into fragments of about that length, for players that start on fragments; with
     * fmp4Delivery=fragment each of them is routed as soon as it is complete.
     */
    public void setFragmentDuration(long fragmentDuration) {
        this.fragmentDuration = fragmentDuration;
    }

    /** The fmp4Delivery option. */
    public String getFmp4Delivery() {
        return fmp4Delivery;
    }

    /**
     * output=fmp4: segment (the default) routes one exchange per whole segment. fragment routes each fragment of
     * fragmentDuration (which must then be positive) as soon as every track has passed its end, for low-latency
     * consumers: the first exchange of a segment carries the init segment and the first fragment and plays on its
     * own (header CamelRtspInitSegment true), the next ones carry only moof and mdat boxes; the bodies of a segment's
     * exchanges, concatenated in order, are the file the segment delivery would have routed.
     */
    public void setFmp4Delivery(String fmp4Delivery) {
        this.fmp4Delivery = fmp4Delivery;
    }

    /** Whether output=fmp4 routes fragments as they complete rather than whole segments. */
    public boolean isFragmentDelivery() {
        return "fragment".equalsIgnoreCase(fmp4Delivery);
    }

    /** The maxFrameSize option. */
    public int getMaxFrameSize() {
        return maxFrameSize;
    }

    /**
     * The largest frame accepted, in bytes (output=frame). A larger frame is dropped and counted, and the next frame
     * is flagged as a discontinuity, so a broken or hostile stream cannot exhaust memory.
     */
    public void setMaxFrameSize(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    /** The reorderPackets option. */
    public int getReorderPackets() {
        return reorderPackets;
    }

    /**
     * UDP transport: how many packets may wait for a missing earlier packet before it is given up as lost. Packets
     * that arrive out of order within this window and reorderDelay are put back in order; duplicates are removed.
     */
    public void setReorderPackets(int reorderPackets) {
        this.reorderPackets = reorderPackets;
    }

    /** The udpPortRange option. */
    public String getUdpPortRange() {
        return udpPortRange;
    }

    /**
     * UDP transport: the local ports to receive RTP and RTCP on, as min-max (for example 50000-50999; a single even
     * port means that port and the next), for firewalls
     * that only open a range; each track takes an even RTP port and the next odd one. By default the operating system
     * chooses.
     */
    public void setUdpPortRange(String udpPortRange) {
        this.udpPortRange = udpPortRange;
    }

    /** The udpPortRange as {min, max}, or {0, 0} when not set. */
    public int[] udpPorts() {
        if (udpPortRange == null || udpPortRange.isBlank()) {
            return new int[] {0, 0};
        }
        String[] parts = udpPortRange.trim().split("\\s*-\\s*");
        try {
            int min = Integer.parseInt(parts[0]);
            int max = parts.length > 1 ? Integer.parseInt(parts[1]) : min + 1;
            if (parts.length > 2 || min < 1024 || max > 65535 || max < min + 1) {
                throw new NumberFormatException();
            }
            return new int[] {min, max};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Option udpPortRange must be min-max with 1024 <= min < max <= 65535,"
                                               + " was " + udpPortRange);
        }
    }

    /** The reorderDelay option in milliseconds. */
    public long getReorderDelay() {
        return reorderDelay;
    }

    /**
     * UDP transport: how long a packet may wait for a missing earlier packet before that one is given up as lost.
     * Longer tolerates more network jitter at the cost of latency.
     */
    public void setReorderDelay(long reorderDelay) {
        this.reorderDelay = reorderDelay;
    }

    /** The user name, or null. */
    public String getUsername() {
        return username;
    }

    /**
     * User name for Basic or Digest authentication. When not set, the user of the URI user info (user:password
     * before the host) is used.
     */
    public void setUsername(String username) {
        this.username = username;
    }

    /** The password, or null. */
    public String getPassword() {
        return password;
    }

    /**
     * Password for Basic or Digest authentication. When not set, the password of the URI user info is used (write
     * it URL-encoded there).
     */
    public void setPassword(String password) {
        this.password = password;
    }

    /** The TLS settings, or null. */
    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /**
     * TLS settings for rtsps (trust store, key store, protocols). When not set, the JVM default trust store is
     * used.
     */
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    /** Whether the host name of a TLS certificate is checked. */
    public boolean isVerifyHostname() {
        return verifyHostname;
    }

    /**
     * For rtsps: whether the camera's certificate must match its host name. Certificates are always checked against
     * the trust store; turn this off only for cameras with self-issued certificates that name no host.
     */
    public void setVerifyHostname(boolean verifyHostname) {
        this.verifyHostname = verifyHostname;
    }

    /** Connect timeout in milliseconds. */
    public long getConnectTimeout() {
        return connectTimeout;
    }

    /** Timeout of the TCP (and TLS) connection to the camera. */
    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** Request timeout in milliseconds. */
    public long getRequestTimeout() {
        return requestTimeout;
    }

    /** How long to wait for the answer to an RTSP request (OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN). */
    public void setRequestTimeout(long requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /** Receive timeout in milliseconds. */
    public long getReceiveTimeout() {
        return receiveTimeout;
    }

    /** No media for this long while playing: the session is considered dead and the consumer reconnects. */
    public void setReceiveTimeout(long receiveTimeout) {
        this.receiveTimeout = receiveTimeout;
    }

    /** UDP fallback timeout in milliseconds. */
    public long getUdpFallbackTimeout() {
        return udpFallbackTimeout;
    }

    /** With transport=auto: no RTP over UDP for this long after PLAY switches the session to TCP. */
    public void setUdpFallbackTimeout(long udpFallbackTimeout) {
        this.udpFallbackTimeout = udpFallbackTimeout;
    }

    /** First reconnect delay in milliseconds. */
    public long getReconnectDelay() {
        return reconnectDelay;
    }

    /** Delay before the first reconnect attempt; it doubles on each failed attempt up to maxReconnectDelay. */
    public void setReconnectDelay(long reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    /** Largest reconnect delay in milliseconds. */
    public long getMaxReconnectDelay() {
        return maxReconnectDelay;
    }

    /** Upper bound of the delay between reconnect attempts. */
    public void setMaxReconnectDelay(long maxReconnectDelay) {
        this.maxReconnectDelay = maxReconnectDelay;
    }

    /** Failed reconnect attempts before giving up; -1 forever. */
    public int getMaxReconnectAttempts() {
        return maxReconnectAttempts;
    }

    /**
     * How many failed reconnect attempts in a row before the consumer gives up (its health check then stays DOWN):
     * -1 retries forever, 0 never reconnects.
     */
    public void setMaxReconnectAttempts(int maxReconnectAttempts) {
        this.maxReconnectAttempts = maxReconnectAttempts;
    }

    /** The User-Agent header value. */
    public String getUserAgent() {
        return userAgent;
    }

    /** The User-Agent header sent with every RTSP request. */
    public void setUserAgent(String userAgent) {
        this.userAgent = userAgent;
    }

    /** Packets that may wait for the route. */
    public int getMaxQueueSize() {
        return maxQueueSize;
    }

    /**
     * Packets received but not yet taken by the route. Over TCP the consumer stops reading from the camera at this
     * size and resumes at half of it, so nothing is lost; over UDP packets beyond it are dropped, counted and logged.
     */
    public void setMaxQueueSize(int maxQueueSize) {
        this.maxQueueSize = maxQueueSize;
    }

    /** The range option. */
    public String getRange() {
        return range;
    }

    /**
     * Where the consumer starts playing: the Range header of its PLAY, passed on as written after a syntax check:
     * npt=10- (10 s into a recording), clock=20261125T100000Z- (an absolute UTC time, for NVR playback) or smpte
     * forms. By default npt=0.000- (live sources ignore it).
     */
    public void setRange(String range) {
        this.range = range;
    }

    /** The scale option. */
    public String getScale() {
        return scale;
    }

    /**
     * The Scale header of the consumer's PLAY: the playback rate relative to normal viewing (2 is twice as fast, -1
     * plays backwards); servers that support it send fewer frames, not faster ones.
     */
    public void setScale(String scale) {
        this.scale = scale;
    }

    /** The speed option. */
    public String getSpeed() {
        return speed;
    }

    /**
     * The Speed header of the consumer's PLAY: how fast the server delivers the media (for example 4 to download a
     * recording faster than real time), as opposed to scale.
     */
    public void setSpeed(String speed) {
        this.speed = speed;
    }

    /** The method option. */
    public String getMethod() {
        return method;
    }

    /**
     * The RTSP method the producer sends when the message has no CamelRtspMethod header: OPTIONS, DESCRIBE, SETUP,
     * PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER, ANNOUNCE or RECORD.
     */
    public void setMethod(String method) {
        this.method = method;
    }

    /** The throwExceptionOnFailure option. */
    public boolean isThrowExceptionOnFailure() {
        return throwExceptionOnFailure;
    }

    /**
     * Whether an answer that is not 2xx fails the exchange with an RtspStatusException carrying the status code and
     * reason phrase. When false the answer is returned as a successful one, with its status in the
     * CamelRtspStatusCode header.
     */
    public void setThrowExceptionOnFailure(boolean throwExceptionOnFailure) {
        this.throwExceptionOnFailure = throwExceptionOnFailure;
    }

    /** The consumerRouteId option. */
    public String getConsumerRouteId() {
        return consumerRouteId;
    }

    /**
     * Makes the producer control the session of a running rtsp consumer instead of sending requests of its own: the
     * id of the route whose consumer it is. PLAY resumes a paused session or seeks with the Range header (Scale and
     * Speed headers are passed on); PAUSE pauses it. The session stays the consumer's.
     */
    public void setConsumerRouteId(String consumerRouteId) {
        this.consumerRouteId = consumerRouteId;
    }

    /** The headerFilterStrategy option, or null for the default. */
    public HeaderFilterStrategy getHeaderFilterStrategy() {
        return headerFilterStrategy;
    }

    /**
     * Which message headers the producer does not send as RTSP request headers. By default Camel's own headers
     * (names starting with Camel or org.apache.camel., and breadcrumbId) are not sent; the headers the connection
     * writes itself (CSeq, Content-Length, Authorization) and unchanged headers of an earlier answer never are.
     */
    public void setHeaderFilterStrategy(HeaderFilterStrategy headerFilterStrategy) {
        this.headerFilterStrategy = headerFilterStrategy;
    }

    public boolean isPublish() {
        return publish;
    }

    /**
     * Producer: publish the frames of the exchanges to the RTSP server at this URI (ANNOUNCE and RECORD) instead of
     * sending RTSP requests. Each exchange is one frame with the headers the consumer sets with output=frame
     * (CamelRtspCodec and CamelRtspPresentationTime are required; CamelRtspTrack, CamelRtspKeyFrame,
     * CamelRtspCodecConfig, CamelRtspClockRate, CamelRtspChannels, CamelRtspSampleCount and CamelRtspDiscontinuity
     * are used when present). The options transport (tcp, udp or auto), username, password, the timeouts and the
     * reconnect options apply to publishing too.
     */
    public void setPublish(boolean publish) {
        this.publish = publish;
    }

    public int getPublishTracks() {
        return publishTracks;
    }

    /**
     * Publish mode: the number of tracks to announce. Publishing starts once this many tracks were seen and each has
     * started (a video track with a key frame carrying its parameter sets, an audio track with any frame). 0 waits
     * publishTrackTimeout after the first frame for the tracks instead.
     */
    public void setPublishTracks(int publishTracks) {
        this.publishTracks = publishTracks;
    }

    public long getPublishTrackTimeout() {
        return publishTrackTimeout;
    }

    /**
     * Publish mode: how long after the first frame frames of new tracks may still appear before the tracks are
     * announced (with publishTracks set, the longest wait for the missing tracks).
     */
    public void setPublishTrackTimeout(long publishTrackTimeout) {
        this.publishTrackTimeout = publishTrackTimeout;
    }

    public int getPublishQueueSize() {
        return publishQueueSize;
    }

    /**
     * Publish mode: most frames waiting to be sent at their presentation time (and waiting for the RECORD answer);
     * frames beyond it are dropped and counted.
     */
    public void setPublishQueueSize(int publishQueueSize) {
        this.publishQueueSize = publishQueueSize;
    }

    public int getPublishWriteBufferSize() {
        return publishWriteBufferSize;
    }

    /**
     * Publish mode: bytes waiting in the connection's (or UDP socket's) send buffer above which whole frames are
     * dropped and counted, so that a slow server never makes the producer buffer without bound.
     */
    public void setPublishWriteBufferSize(int publishWriteBufferSize) {
        this.publishWriteBufferSize = publishWriteBufferSize;
    }

    public int getPublishMtu() {
        return publishMtu;
    }

    /** Publish mode: the largest RTP packet sent, RTP header included, in bytes. */
    public void setPublishMtu(int publishMtu) {
        this.publishMtu = publishMtu;
    }

    @Override
    public String toString() {
        // no credentials here: this may end up in logs
        return "transport=" + transport + ", media=" + media + ", output=" + output
               + (username != null ? ", username=" + username : "")
               + ", connectTimeout=" + connectTimeout + "ms, requestTimeout=" + requestTimeout
               + "ms, receiveTimeout=" + receiveTimeout + "ms, reconnectDelay=" + reconnectDelay + ".."
               + maxReconnectDelay + "ms, maxReconnectAttempts=" + maxReconnectAttempts + ", maxQueueSize="
               + maxQueueSize;
    }
}
