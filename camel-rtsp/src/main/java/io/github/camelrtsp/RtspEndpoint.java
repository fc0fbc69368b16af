package io.github.camelrtsp;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.camelrtsp.auth.Credentials;
import io.github.camelrtsp.client.RtspClientOptions;
import io.github.camelrtsp.client.RtspControlSession;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.EndpointUriFactory;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Receive RTP media (video, audio, metadata) from IP cameras and media servers over RTSP, and control RTSP sessions
 * (play, pause, seek) with RTSP requests.
 * <p>
 * Query parameters of the URI that are not options of this endpoint belong to the camera URL and are sent to the
 * camera unchanged, in their order and encoding.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "rtsp,rtsps", title = "RTSP,RTSPS", syntax = "rtsp:host:port/path",
             category = { Category.IOT, Category.NETWORKING }, headersClass = RtspConstants.class,
             lenientProperties = true)
@ManagedResource(description = "Managed RTSP endpoint")
public class RtspEndpoint extends DefaultEndpoint implements EndpointServiceLocation {

    // no setters: these come from the URI only, so that camera query parameters named host, port or path are
    // not taken for them by Camel's property binding
    @UriPath(description = "Host name or IP address of the camera or media server.")
    @Metadata(required = true)
    private final String host;
    @UriPath(description = "RTSP port of the camera.", defaultValue = "554", defaultValueNote = "322 for rtsps")
    private final int port;
    @UriPath(description = "Path of the stream on the camera, for example cam/realmonitor or Streaming/Channels/101.")
    private final String path;
    @UriParam
    private RtspConfiguration configuration;

    private final RtspUri parsedUri;
    private String cameraUrl;
    private String sanitizedCameraUrl;
    private List<String> cameraQueryKeys = List.of();
    private RtspControlSession controlSession;

    RtspEndpoint(String endpointUri, RtspComponent component, RtspConfiguration configuration, RtspUri parsedUri) {
        super(endpointUri, component);
        this.configuration = configuration;
        this.parsedUri = parsedUri;
        this.host = parsedUri.host();
        this.port = parsedUri.port();
        this.path = parsedUri.path();
        // until the options are bound: every query parameter goes to the camera
        initCameraUrl(null);
    }

    /**
     * Fixes the camera URL once the options are bound: keeps the query parameters named in {@code unboundKeys}
     * (those Camel did not recognize as options), all of them when null.
     */
    void initCameraUrl(Collection<String> unboundKeys) {
        Set<String> keys = unboundKeys == null ? null : new HashSet<>(unboundKeys);
        List<String> kept = new ArrayList<>();
        cameraUrl = parsedUri.cameraUrl(p -> keys == null || keys.contains(p.key()) || keys.contains(rawKey(p)));
        sanitizedCameraUrl = parsedUri.sanitizedCameraUrl(p -> {
            boolean keep = keys == null || keys.contains(p.key()) || keys.contains(rawKey(p));
            if (keep) {
                kept.add(p.key());
            }
            return keep;
        });
        cameraQueryKeys = Collections.unmodifiableList(kept);
    }

    private static String rawKey(RtspUri.QueryParam p) {
        int eq = p.raw().indexOf('=');
        return eq < 0 ? p.raw() : p.raw().substring(0, eq);
    }

    @Override
    public RtspComponent getComponent() {
        return (RtspComponent) super.getComponent();
    }

    @Override
    public boolean isLenientProperties() {
        // unknown query parameters are the camera's
        return true;
    }

    /**
     * A producer that sends RTSP requests, or controls a running consumer's session (consumerRouteId), or with
     * publish=true publishes frames to the server ({@link RtspPublishProducer}).
     */
    @Override
    public Producer createProducer() throws Exception {
        if (configuration.isPublish()) {
            return new RtspPublishProducer(this);
        }
        return new RtspProducer(this);
    }

    /**
     * The control session the producers of this endpoint share (one connection, CSeq, authentication and Session
     * across exchanges); created on first use, closed when the endpoint stops.
     */
    synchronized RtspControlSession controlSession() throws GeneralSecurityException, IOException {
        if (controlSession == null) {
            controlSession = new RtspControlSession(createClientOptions(), getComponent().ioGroup());
        }
        return controlSession;
    }

    /** The control session if one was created, else null. */
    synchronized RtspControlSession existingControlSession() {
        return controlSession;
    }

    @Override
    protected void doStop() throws Exception {
        RtspControlSession s;
        synchronized (this) {
            s = controlSession;
            controlSession = null;
        }
        if (s != null) {
            s.close();
        }
        super.doStop();
    }

    /**
     * Identity: the endpoint URI is the sanitized one, so two endpoints differing only in their credentials have the
     * same URI. Camel's registry already keeps one instance per URI as written; comparing by URI (the default) would
     * let caches such as the producer pool hand one endpoint's producer to the other.
     */
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        RtspConsumer consumer = new RtspConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /**
     * The settings of the RTSP client for this endpoint: camera URL, credentials, TLS context, transport and timeouts.
     */
    public RtspClientOptions createClientOptions() throws GeneralSecurityException, IOException {
        RtspConfiguration c = configuration;
        RtspClientOptions options = new RtspClientOptions()
                .url(cameraUrl)
                .transport(c.transportMode())
                .media(c.mediaTypes())
                .verifyHostname(c.isVerifyHostname())
                .connectTimeout(Duration.ofMillis(c.getConnectTimeout()))
                .requestTimeout(Duration.ofMillis(c.getRequestTimeout()))
                .receiveTimeout(Duration.ofMillis(c.getReceiveTimeout()))
                .udpFallbackTimeout(Duration.ofMillis(c.getUdpFallbackTimeout()))
                .reconnectDelay(Duration.ofMillis(c.getReconnectDelay()))
                .maxReconnectDelay(Duration.ofMillis(c.getMaxReconnectDelay()))
                .maxReconnectAttempts(c.getMaxReconnectAttempts())
                .userAgent(c.getUserAgent())
                .reorderPackets(c.getReorderPackets())
                .reorderDelay(Duration.ofMillis(c.getReorderDelay()))
                .udpPortRange(c.udpPorts()[0], c.udpPorts()[1])
                .playRange(c.getRange())
                .scale(c.getScale())
                .speed(c.getSpeed());
        if (c.getUsername() != null && !c.getUsername().isEmpty()) {
            options.credentials(new Credentials(c.getUsername(), c.getPassword()));
        }
        if (parsedUri.isTls()) {
            SSLContextParameters ssl = c.getSslContextParameters();
            if (ssl == null && getComponent().isUseGlobalSslContextParameters()) {
                ssl = getComponent().retrieveGlobalSslContextParameters();
            }
            if (ssl != null) {
                options.sslContext(ssl.createSSLContext(getCamelContext()));
            }
        }
        return options;
    }

    /**
     * Query parameters that were sent to the camera but whose names resemble an option of this endpoint (a different
     * case or a typo away), as {@code name -> option}.
     */
    Map<String, String> suspiciousCameraQueryKeys() {
        EndpointUriFactory factory = getCamelContext().getCamelContextExtension().getEndpointUriFactory("rtsp");
        if (factory == null) {
            return Map.of();
        }
        // only what can be set in the query (host, port and path are the URI's own parts)
        PropertyConfigurer configurer = getComponent().getEndpointPropertyConfigurer();
        List<String> options = new ArrayList<>();
        for (String name : factory.propertyNames()) {
            if (!(configurer instanceof PropertyConfigurerGetter getter) || getter.getOptionType(name, false) != null) {
                options.add(name);
            }
        }
        Map<String, String> suspicious = new LinkedHashMap<>();
        for (String key : cameraQueryKeys) {
            String lower = key.toLowerCase(Locale.ROOT);
            for (String option : options) {
                if (editDistance(lower, option.toLowerCase(Locale.ROOT)) <= Math.min(2, option.length() / 4)) {
                    suspicious.put(key, option);
                    break;
                }
            }
        }
        return suspicious;
    }

    /** Levenshtein distance, for the did-you-mean hint on mistyped options. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The URL sent to the camera: no user info; only the camera's own query parameters, as written. */
    public String cameraUrl() {
        return cameraUrl;
    }

    /** The camera URL as shown to users: no user info, secret-looking query values masked. */
    public String sanitizedUri() {
        return sanitizedCameraUrl;
    }

    /** Names of the query parameters passed on to the camera, in URI order. */
    public List<String> cameraQueryKeys() {
        return cameraQueryKeys;
    }

    /** The camera URL as shown to users (JMX attribute). */
    @ManagedAttribute(description = "Camera URL (sanitized)")
    public String getCameraUrl() {
        return sanitizedCameraUrl;
    }

    /** The transport option (JMX). */
    @ManagedAttribute(description = "Transport option: tcp, udp or auto")
    public String getTransport() {
        return configuration.getTransport();
    }

    /** The media option (JMX). */
    @ManagedAttribute(description = "Media types received")
    public String getMedia() {
        return configuration.getMedia();
    }

    @Override
    public String getServiceUrl() {
        return parsedUri.host() + ":" + parsedUri.port();
    }

    @Override
    public String getServiceProtocol() {
        return parsedUri.scheme();
    }

    /** Host name or IP address of the camera, as written in the URI. */
    public String getHost() {
        return host;
    }

    /** RTSP port of the camera: as written in the URI, else 554 (rtsp) or 322 (rtsps). */
    public int getPort() {
        return port;
    }

    /** Path of the stream on the camera, as written in the URI, without the leading slash. */
    public String getPath() {
        return path;
    }

    /** This endpoint's options. */
    public RtspConfiguration getConfiguration() {
        return configuration;
    }

    /** The endpoint's options. */
    public void setConfiguration(RtspConfiguration configuration) {
        this.configuration = configuration;
    }
}
