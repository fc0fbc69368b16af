package io.github.camelrtsp.client;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import javax.net.ssl.SSLContext;

import io.github.camelrtsp.auth.Credentials;

/** Settings of an {@link RtspStreamClient}. Mutable until the client is created from it. */
public final class RtspClientOptions {

    private String url;
    private Credentials credentials;
    private TransportMode transport = TransportMode.TCP;
    private Set<String> media = new LinkedHashSet<>(Set.of("video", "audio"));
    private SSLContext sslContext;
    private boolean verifyHostname = true;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration receiveTimeout = Duration.ofSeconds(10);
    private Duration udpFallbackTimeout = Duration.ofSeconds(3);
    private Duration reconnectDelay = Duration.ofSeconds(1);
    private Duration maxReconnectDelay = Duration.ofSeconds(30);
    private int maxReconnectAttempts = -1;
    private String userAgent = "camel-rtsp";
    private int reorderPackets = 64;
    private Duration reorderDelay = Duration.ofMillis(100);
    private int udpPortMin;
    private int udpPortMax;
    private String playRange;
    private String scale;
    private String speed;

    /** The RTSP URL without user info: {@code rtsp://host[:port]/path[?query]} or {@code rtsps://...}. */
    public String url() {
        return url;
    }

    public RtspClientOptions url(String url) {
        this.url = Objects.requireNonNull(url, "url");
        return this;
    }

    public Credentials credentials() {
        return credentials;
    }

    public RtspClientOptions credentials(Credentials credentials) {
        this.credentials = credentials;
        return this;
    }

    public TransportMode transport() {
        return transport;
    }

    public RtspClientOptions transport(TransportMode transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        return this;
    }

    /** Media types to set up ({@code video}, {@code audio}, {@code application}); {@code all} selects every one. */
    public Set<String> media() {
        return media;
    }

    public RtspClientOptions media(Set<String> media) {
        this.media = new LinkedHashSet<>(media);
        return this;
    }

    /** TLS context for {@code rtsps}; null uses the JVM default. */
    public SSLContext sslContext() {
        return sslContext;
    }

    public RtspClientOptions sslContext(SSLContext sslContext) {
        this.sslContext = sslContext;
        return this;
    }

    public boolean verifyHostname() {
        return verifyHostname;
    }

    public RtspClientOptions verifyHostname(boolean verifyHostname) {
        this.verifyHostname = verifyHostname;
        return this;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public RtspClientOptions connectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        return this;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public RtspClientOptions requestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        return this;
    }

    /** No media for this long while playing: the session is considered dead and reconnected. */
    public Duration receiveTimeout() {
        return receiveTimeout;
    }

    public RtspClientOptions receiveTimeout(Duration receiveTimeout) {
        this.receiveTimeout = receiveTimeout;
        return this;
    }

    /** With {@link TransportMode#AUTO}: no RTP over UDP for this long after PLAY switches to TCP. */
    public Duration udpFallbackTimeout() {
        return udpFallbackTimeout;
    }

    public RtspClientOptions udpFallbackTimeout(Duration udpFallbackTimeout) {
        this.udpFallbackTimeout = udpFallbackTimeout;
        return this;
    }

    public Duration reconnectDelay() {
        return reconnectDelay;
    }

    public RtspClientOptions reconnectDelay(Duration reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
        return this;
    }

    public Duration maxReconnectDelay() {
        return maxReconnectDelay;
    }

    public RtspClientOptions maxReconnectDelay(Duration maxReconnectDelay) {
        this.maxReconnectDelay = maxReconnectDelay;
        return this;
    }

    /** -1 retries forever; 0 never reconnects. */
    public int maxReconnectAttempts() {
        return maxReconnectAttempts;
    }

    public RtspClientOptions maxReconnectAttempts(int maxReconnectAttempts) {
        this.maxReconnectAttempts = maxReconnectAttempts;
        return this;
    }

    public String userAgent() {
        return userAgent;
    }

    public RtspClientOptions userAgent(String userAgent) {
        this.userAgent = userAgent;
        return this;
    }

    /** Lowest local UDP port to use for RTP (even); 0 lets the OS choose. */
    public int udpPortMin() {
        return udpPortMin;
    }

    public RtspClientOptions udpPortRange(int min, int max) {
        this.udpPortMin = min;
        this.udpPortMax = max;
        return this;
    }

    public int udpPortMax() {
        return udpPortMax;
    }

    /** UDP: how many packets may wait for a missing earlier one before it is given up as lost. */
    public int reorderPackets() {
        return reorderPackets;
    }

    public RtspClientOptions reorderPackets(int reorderPackets) {
        this.reorderPackets = reorderPackets;
        return this;
    }

    /** UDP: how long a packet may wait for a missing earlier one before it is given up as lost. */
    public Duration reorderDelay() {
        return reorderDelay;
    }

    public RtspClientOptions reorderDelay(Duration reorderDelay) {
        this.reorderDelay = reorderDelay;
        return this;
    }

    /** The Range header of the first PLAY of a session (npt, clock or smpte form), or null for {@code npt=0.000-}. */
    public String playRange() {
        return playRange;
    }

    public RtspClientOptions playRange(String playRange) {
        this.playRange = playRange;
        return this;
    }

    /** The Scale header of PLAY, or null. */
    public String scale() {
        return scale;
    }

    public RtspClientOptions scale(String scale) {
        this.scale = scale;
        return this;
    }

    /** The Speed header of PLAY, or null. */
    public String speed() {
        return speed;
    }

    public RtspClientOptions speed(String speed) {
        this.speed = speed;
        return this;
    }
}
