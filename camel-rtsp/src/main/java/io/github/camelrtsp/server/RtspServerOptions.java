package io.github.camelrtsp.server;

import java.time.Duration;
import java.util.Objects;

/** Settings of an {@link RtspServer}; fluent setters, defaults suit a LAN camera gateway. */
public final class RtspServerOptions {

    private String host = "0.0.0.0";
    private int port = 8554;
    private int sessionTimeoutSeconds = 60;
    private Duration senderReportInterval = Duration.ofSeconds(5);
    private int maxQueuedBytes = 1024 * 1024;
    private Duration maxBehind = Duration.ofSeconds(5);
    private int maxSessions = 1000;
    private String serverName = "camel-rtsp";
    private int socketSendBuffer;
    private int maxConnections = 2000;
    private boolean basicAuth = true;
    private boolean digestAuth = true;
    private String authRealm = "camel-rtsp";
    private Duration nonceLifetime = Duration.ofMinutes(5);

    /**
     * Creates the defaults: 0.0.0.0:8554, session timeout 60 s, SR every 5 s, 1 MiB queue per session, 5 s behind,
     * 1000 sessions, 2000 connections.
     */
    public RtspServerOptions() {
    }

    /** The address to bind (also used for the UDP media ports). */
    public String host() {
        return host;
    }

    /** Sets the address to bind. */
    public RtspServerOptions host(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    /** The RTSP TCP port; 0 picks a free one (see {@link RtspServer#port()}). */
    public int port() {
        return port;
    }

    /** Sets the RTSP TCP port, 0..65535. */
    public RtspServerOptions port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        this.port = port;
        return this;
    }

    /** Seconds without a request or RTCP after which a session is torn down; announced in the Session header. */
    public int sessionTimeoutSeconds() {
        return sessionTimeoutSeconds;
    }

    /** Sets the session timeout in seconds, 1..3600. */
    public RtspServerOptions sessionTimeoutSeconds(int seconds) {
        if (seconds < 1 || seconds > 3600) {
            throw new IllegalArgumentException("session timeout must be 1..3600 s: " + seconds);
        }
        this.sessionTimeoutSeconds = seconds;
        return this;
    }

    /** How often each playing session gets an RTCP sender report per track. */
    public Duration senderReportInterval() {
        return senderReportInterval;
    }

    /** Sets the sender report interval, 100 ms .. 60 s. */
    public RtspServerOptions senderReportInterval(Duration interval) {
        long ms = interval.toMillis();
        if (ms < 100 || ms > 60_000) {
            throw new IllegalArgumentException("sender report interval must be 100 ms .. 60 s: " + interval);
        }
        this.senderReportInterval = interval;
        return this;
    }

    /**
     * Bytes that may wait to be sent to one TCP session (and on the shared UDP sockets) before packets are skipped
     * up to the next key frame.
     */
    public int maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** Sets the per-session queue bound in bytes, 16 KiB .. 64 MiB. */
    public RtspServerOptions maxQueuedBytes(int bytes) {
        if (bytes < 16 * 1024 || bytes > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("max queued bytes must be 16 KiB .. 64 MiB: " + bytes);
        }
        this.maxQueuedBytes = bytes;
        return this;
    }

    /** How long a session may stay behind (skipping) before its connection is closed. */
    public Duration maxBehind() {
        return maxBehind;
    }

    /** Sets how long a session may stay behind, 500 ms .. 10 min. */
    public RtspServerOptions maxBehind(Duration maxBehind) {
        long ms = maxBehind.toMillis();
        if (ms < 500 || ms > 600_000) {
            throw new IllegalArgumentException("max behind must be 500 ms .. 10 min: " + maxBehind);
        }
        this.maxBehind = maxBehind;
        return this;
    }

    /** Most sessions at once; further SETUPs get 503. */
    public int maxSessions() {
        return maxSessions;
    }

    /** Sets the session limit, at least 1. */
    public RtspServerOptions maxSessions(int maxSessions) {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("max sessions must be at least 1: " + maxSessions);
        }
        this.maxSessions = maxSessions;
        return this;
    }

    /** Most RTSP connections at once; further ones are closed right after accept (counted). */
    public int maxConnections() {
        return maxConnections;
    }

    /** Sets the connection limit, at least 1. */
    public RtspServerOptions maxConnections(int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be at least 1: " + maxConnections);
        }
        this.maxConnections = maxConnections;
        return this;
    }

    /**
     * SO_SNDBUF of RTSP connections in bytes, or 0 to leave it to the operating system (auto-tuned, up to several
     * MiB on Linux). A fixed value makes a stalled client show up sooner, at the cost of throughput on long paths.
     */
    public int socketSendBuffer() {
        return socketSendBuffer;
    }

    /** Sets SO_SNDBUF of RTSP connections: 0 (system default) or 4 KiB .. 64 MiB. */
    public RtspServerOptions socketSendBuffer(int bytes) {
        if (bytes != 0 && (bytes < 4096 || bytes > 64 * 1024 * 1024)) {
            throw new IllegalArgumentException("socket send buffer must be 0 or 4 KiB .. 64 MiB: " + bytes);
        }
        this.socketSendBuffer = bytes;
        return this;
    }

    /** The {@code Server} header value and SDP {@code s=} fallback. */
    public String serverName() {
        return serverName;
    }

    /** Sets the {@code Server} header value (printable ASCII). */
    public RtspServerOptions serverName(String serverName) {
        if (serverName == null || !serverName.matches("[\\x20-\\x7E]+")) {
            throw new IllegalArgumentException("server name must be printable ASCII: " + serverName);
        }
        this.serverName = serverName;
        return this;
    }

    /** True when paths with credentials offer Basic authentication (default true). */
    public boolean basicAuth() {
        return basicAuth;
    }

    /** True when paths with credentials offer Digest MD5 authentication (default true). */
    public boolean digestAuth() {
        return digestAuth;
    }

    /**
     * Sets the schemes offered on paths with credentials (see {@link RtspServer#setCredentials}): any of
     * {@code Basic} and {@code Digest}, case-insensitive.
     *
     * @throws IllegalArgumentException if none or an unknown scheme is given
     */
    public RtspServerOptions authSchemes(String... schemes) {
        boolean b = false;
        boolean d = false;
        for (String s : schemes) {
            if ("basic".equalsIgnoreCase(s)) {
                b = true;
            } else if ("digest".equalsIgnoreCase(s)) {
                d = true;
            } else {
                throw new IllegalArgumentException("unknown authentication scheme (Basic or Digest): " + s);
            }
        }
        if (!b && !d) {
            throw new IllegalArgumentException("offer at least one authentication scheme");
        }
        this.basicAuth = b;
        this.digestAuth = d;
        return this;
    }

    /** The realm of the authentication challenges. */
    public String authRealm() {
        return authRealm;
    }

    /** Sets the realm: printable ASCII without quotes or backslashes. */
    public RtspServerOptions authRealm(String realm) {
        if (realm == null || !realm.matches("[\\x20-\\x7E&&[^\"\\\\]]+")) {
            throw new IllegalArgumentException("realm must be printable ASCII without quotes or backslashes");
        }
        this.authRealm = realm;
        return this;
    }

    /** How long a Digest nonce is accepted before a client must retry with a fresh one ({@code stale=true}). */
    public Duration nonceLifetime() {
        return nonceLifetime;
    }

    /** Sets the Digest nonce lifetime, 1 s .. 1 day. */
    public RtspServerOptions nonceLifetime(Duration lifetime) {
        long ms = lifetime.toMillis();
        if (ms < 1000 || ms > 86_400_000L) {
            throw new IllegalArgumentException("nonce lifetime must be 1 s .. 1 day: " + lifetime);
        }
        this.nonceLifetime = lifetime;
        return this;
    }
}
