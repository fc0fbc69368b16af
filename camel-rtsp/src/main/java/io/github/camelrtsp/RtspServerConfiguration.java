package io.github.camelrtsp;

import java.time.Duration;
import java.util.Locale;

import io.github.camelrtsp.server.RtspServerOptions;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Options of an {@code rtsp-server} endpoint. Set on the component, they are the defaults of every endpoint, which
 * gets its own {@link #copy()}. The server options (host, port and the advanced ones) belong to the embedded server,
 * which all endpoints with the same host and port share.
 */
@UriParams
public class RtspServerConfiguration implements Cloneable {

    @UriParam(label = "common", defaultValue = "0.0.0.0")
    private String host = "0.0.0.0";
    @UriParam(label = "common", defaultValue = "8554")
    private int port = 8554;
    @UriParam(label = "consumer", defaultValue = "frame", enums = "frame,packet")
    private String output = "frame";
    @UriParam(label = "consumer,advanced", defaultValue = "4194304")
    private int maxFrameSize = 4 * 1024 * 1024;
    @UriParam(label = "consumer", defaultValue = "1000")
    private int maxQueueSize = 1000;
    @UriParam(label = "producer", defaultValue = "2s", javaType = "java.time.Duration")
    private long trackTimeout = 2_000;
    @UriParam(label = "producer", defaultValue = "0")
    private int expectedTracks;
    @UriParam(label = "security", secret = true)
    private String username;
    @UriParam(label = "security", secret = true)
    private String password;
    @UriParam(label = "security", defaultValue = "basic,digest")
    private String authSchemes = "basic,digest";
    @UriParam(label = "advanced", defaultValue = "60s", javaType = "java.time.Duration")
    private long sessionTimeout = 60_000;
    @UriParam(label = "advanced", defaultValue = "1000")
    private int maxSessions = 1000;
    @UriParam(label = "advanced", defaultValue = "2000")
    private int maxConnections = 2000;
    @UriParam(label = "advanced", defaultValue = "1048576")
    private int maxQueuedBytes = 1024 * 1024;
    @UriParam(label = "advanced", defaultValue = "5s", javaType = "java.time.Duration")
    private long maxBehind = 5_000;
    @UriParam(label = "advanced", defaultValue = "5s", javaType = "java.time.Duration")
    private long senderReportInterval = 5_000;
    @UriParam(label = "advanced", defaultValue = "camel-rtsp")
    private String serverName = "camel-rtsp";

    /** A copy that can be changed without affecting this configuration. */
    public RtspServerConfiguration copy() {
        try {
            return (RtspServerConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /** Checks the option values; throws {@link IllegalArgumentException} naming the bad option. */
    public void validate() {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("Option host must not be empty");
        }
        if (!"packet".equalsIgnoreCase(output) && !"frame".equalsIgnoreCase(output)) {
            throw new IllegalArgumentException("Option output=" + output + " is not supported: use packet or frame");
        }
        if (maxFrameSize < 1024) {
            throw new IllegalArgumentException("Option maxFrameSize must be at least 1024 bytes, was " + maxFrameSize);
        }
        if (maxQueueSize < 2) {
            throw new IllegalArgumentException("Option maxQueueSize must be at least 2, was " + maxQueueSize);
        }
        if (trackTimeout < 0) {
            throw new IllegalArgumentException("Option trackTimeout must not be negative, was " + trackTimeout + " ms");
        }
        if (password != null && (username == null || username.isEmpty())) {
            throw new IllegalArgumentException("Option password is set without a username");
        }
        if (expectedTracks < 0 || expectedTracks > 32) {
            throw new IllegalArgumentException("Option expectedTracks must be 0 to 32, was " + expectedTracks);
        }
        if (sessionTimeout < 1_000 || sessionTimeout > 3_600_000) {
            throw new IllegalArgumentException("Option sessionTimeout must be 1 s to 1 h, was " + sessionTimeout
                                               + " ms");
        }
        try {
            serverOptions();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid rtsp-server option: " + e.getMessage(), e);
        }
    }

    /** True for output=frame. */
    public boolean isFrameOutput() {
        return !"packet".equalsIgnoreCase(output);
    }

    /** The settings of the embedded server these options describe. */
    public RtspServerOptions serverOptions() {
        return new RtspServerOptions()
                .host(host)
                .port(port)
                .sessionTimeoutSeconds((int) Math.max(1, sessionTimeout / 1000))
                .maxSessions(maxSessions)
                .maxConnections(maxConnections)
                .maxQueuedBytes(maxQueuedBytes)
                .maxBehind(Duration.ofMillis(maxBehind))
                .senderReportInterval(Duration.ofMillis(senderReportInterval))
                .serverName(serverName)
                .authSchemes(authSchemes == null ? new String[0] : authSchemes.trim().split("\\s*,\\s*"));
    }

    /**
     * The server options as one text: endpoints that share a server (same host and port) must agree on it.
     */
    String serverKey() {
        return String.format(Locale.ROOT,
                "sessionTimeout=%d ms, maxSessions=%d, maxConnections=%d, maxQueuedBytes=%d, maxBehind=%d ms,"
                                          + " senderReportInterval=%d ms, serverName=%s, authSchemes=%s",
                sessionTimeout, maxSessions, maxConnections, maxQueuedBytes, maxBehind, senderReportInterval,
                serverName, authSchemes);
    }

    /** The host option. */
    public String getHost() {
        return host;
    }

    /**
     * The address the embedded server binds, for RTSP and for its UDP media ports. 0.0.0.0 listens on all IPv4
     * interfaces; 127.0.0.1 only on this machine.
     */
    public void setHost(String host) {
        this.host = host;
    }

    /** The port option. */
    public int getPort() {
        return port;
    }

    /**
     * The RTSP TCP port of the embedded server. All endpoints with the same host and port share one server, each
     * serving its own path. 0 picks a free port.
     */
    public void setPort(int port) {
        this.port = port;
    }

    /** The output option. */
    public String getOutput() {
        return output;
    }

    /**
     * What each exchange of the consumer carries. frame: one exchange per whole media frame (an access unit for
     * video), rebuilt from the publisher's RTP packets, with timing and key-frame headers, exactly as the rtsp
     * consumer emits them. packet: one exchange per RTP packet, the body being the RTP payload.
     */
    public void setOutput(String output) {
        this.output = output;
    }

    /** The maxFrameSize option. */
    public int getMaxFrameSize() {
        return maxFrameSize;
    }

    /** With output=frame: the largest frame in bytes; larger ones are dropped (counted) and decoding resumes. */
    public void setMaxFrameSize(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    /** The maxQueueSize option. */
    public int getMaxQueueSize() {
        return maxQueueSize;
    }

    /**
     * Packets or frames received from a publisher but not yet taken by the route. Beyond this size they are dropped,
     * counted and logged; the publisher is not slowed down.
     */
    public void setMaxQueueSize(int maxQueueSize) {
        this.maxQueueSize = maxQueueSize;
    }

    /** Track timeout in milliseconds. */
    public long getTrackTimeout() {
        return trackTimeout;
    }

    /**
     * Producer: how long after the first frame routed to the producer new tracks may still appear; then the stream is
     * created with the tracks seen (once each has started: a video track with a key frame, an audio track with its
     * first frame). Until the stream exists, RTSP clients asking for the path get 404 Not Found.
     */
    public void setTrackTimeout(long trackTimeout) {
        this.trackTimeout = trackTimeout;
    }

    /** The expectedTracks option. */
    public int getExpectedTracks() {
        return expectedTracks;
    }

    /**
     * Producer: the number of tracks the routed frames have (for example 2 for a camera with video and audio). The
     * stream is created as soon as that many tracks have started, without waiting for trackTimeout. 0 (the default)
     * always waits trackTimeout.
     */
    public void setExpectedTracks(int expectedTracks) {
        this.expectedTracks = expectedTracks;
    }

    /** The username option. */
    public String getUsername() {
        return username;
    }

    /**
     * The user name RTSP clients must authenticate with (Basic or Digest) to play or publish this path. Without it
     * the path is open to every client that reaches the port.
     */
    public void setUsername(String username) {
        this.username = username;
    }

    /** The password option. */
    public String getPassword() {
        return password;
    }

    /** The password of the username. */
    public void setPassword(String password) {
        this.password = password;
    }

    /** The authSchemes option. */
    public String getAuthSchemes() {
        return authSchemes;
    }

    /**
     * The authentication schemes the embedded server offers on paths with a username: basic, digest, or both
     * (comma-separated). digest alone keeps passwords off the network; basic is for clients without Digest. A server
     * option: endpoints on the same host and port must agree on it.
     */
    public void setAuthSchemes(String authSchemes) {
        this.authSchemes = authSchemes;
    }

    /** True when the path is protected by a username. */
    boolean hasCredentials() {
        return username != null && !username.isEmpty();
    }

    /** Session timeout in milliseconds. */
    public long getSessionTimeout() {
        return sessionTimeout;
    }

    /**
     * A session (player or publisher) that sends no request and no RTCP for this long is torn down. Whole seconds,
     * 1 s to 1 h; announced to clients in the Session header.
     */
    public void setSessionTimeout(long sessionTimeout) {
        this.sessionTimeout = sessionTimeout;
    }

    /** The maxSessions option. */
    public int getMaxSessions() {
        return maxSessions;
    }

    /** Most sessions the embedded server keeps at once; further SETUP requests are answered 503. */
    public void setMaxSessions(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    /** The maxConnections option. */
    public int getMaxConnections() {
        return maxConnections;
    }

    /** Most RTSP connections the embedded server keeps at once; further ones are closed right after accept. */
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** The maxQueuedBytes option. */
    public int getMaxQueuedBytes() {
        return maxQueuedBytes;
    }

    /**
     * Bytes that may wait to be sent to one player before the server skips its packets up to the next key frame
     * (16 KiB to 64 MiB).
     */
    public void setMaxQueuedBytes(int maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** Max behind in milliseconds. */
    public long getMaxBehind() {
        return maxBehind;
    }

    /** How long a player may stay behind (its packets being skipped) before it is disconnected. */
    public void setMaxBehind(long maxBehind) {
        this.maxBehind = maxBehind;
    }

    /** Sender report interval in milliseconds. */
    public long getSenderReportInterval() {
        return senderReportInterval;
    }

    /** How often each player gets an RTCP sender report per track (100 ms to 60 s). */
    public void setSenderReportInterval(long senderReportInterval) {
        this.senderReportInterval = senderReportInterval;
    }

    /** The serverName option. */
    public String getServerName() {
        return serverName;
    }

    /** The Server header of the embedded server's answers. */
    public void setServerName(String serverName) {
        this.serverName = serverName;
    }

    @Override
    public String toString() {
        // no credentials here: this may end up in logs
        return "host=" + host + ", port=" + port + ", output=" + output + ", maxQueueSize=" + maxQueueSize + ", "
               + serverKey();
    }
}
