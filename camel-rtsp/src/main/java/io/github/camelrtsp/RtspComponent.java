package io.github.camelrtsp;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoopGroup;
import org.apache.camel.Endpoint;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rtsp} and {@code rtsps} component: receives RTP media from IP cameras and media servers. Owns the Netty
 * I/O threads shared by all its endpoints, and a small pool of threads that run the routes of all its consumers.
 */
@Component("rtsp,rtsps")
public class RtspComponent extends HealthCheckComponent implements SSLContextParametersAware {

    private static final Logger LOG = LoggerFactory.getLogger(RtspComponent.class);

    private static final AtomicInteger IO_THREAD_COUNTER = new AtomicInteger();

    @Metadata(label = "advanced")
    private RtspConfiguration configuration = new RtspConfiguration();
    @Metadata(label = "advanced", defaultValue = "0")
    private int ioThreads;
    @Metadata(label = "advanced")
    private EventLoopGroup eventLoopGroup;
    @Metadata(label = "consumer,advanced", defaultValue = "10")
    private int deliveryThreads = 10;
    @Metadata(label = "security", defaultValue = "false")
    private boolean useGlobalSslContextParameters;

    private volatile RtspStream.Factory streamFactory = RtspStream.CLIENT;
    private volatile EventLoopGroup ownedGroup;
    private volatile ExecutorService deliveryExecutor;

    /** Creates the component; Camel calls it when the {@code rtsp} or {@code rtsps} scheme is first used. */
    public RtspComponent() {
    }

    /**
     * Camel hands over the endpoint URI as written (not normalized), so the camera's own query parameters keep their
     * order and encoding.
     */
    @Override
    public boolean useRawUri() {
        return true;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RtspUri parsed = RtspUri.parse(uri);
        RtspConfiguration config = configuration.copy();
        // user info beats the component's credentials; options in the endpoint URI (bound after this) beat both
        if (parsed.user() != null) {
            config.setUsername(parsed.user());
            if (parsed.password() != null) {
                config.setPassword(parsed.password());
            }
        }
        decodeOptionValues(parsed, parameters);
        return new RtspEndpoint(parsed.sanitized(), this, config, parsed);
    }

    /**
     * With {@link #useRawUri()} Camel hands over the query values as written. Option values are URL-decoded here, as
     * in any Camel endpoint ({@code RAW(...)} values excepted); the camera's parameters stay untouched, they are taken
     * from the raw query.
     */
    private void decodeOptionValues(RtspUri parsed, Map<String, Object> parameters) {
        PropertyConfigurer configurer = getEndpointPropertyConfigurer();
        if (!(configurer instanceof PropertyConfigurerGetter getter)) {
            return;
        }
        Set<String> rawValued = new HashSet<>();
        for (RtspUri.QueryParam p : parsed.query()) {
            if (p.isRawValue()) {
                rawValued.add(p.key());
            }
        }
        for (Map.Entry<String, Object> entry : parameters.entrySet()) {
            String key = entry.getKey();
            if (rawValued.contains(key) || getter.getOptionType(key, true) == null) {
                continue;
            }
            if (entry.getValue() instanceof String value) {
                entry.setValue(decodeOptionValue(key, value));
            } else if (entry.getValue() instanceof List<?> values) {
                List<Object> decoded = new ArrayList<>(values.size());
                for (Object v : values) {
                    decoded.add(v instanceof String str ? decodeOptionValue(key, str) : v);
                }
                entry.setValue(decoded);
            }
        }
    }

    private static String decodeOptionValue(String key, String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // never echo the value: it may be a password
            throw new IllegalArgumentException("Invalid URL encoding in the value of option " + key
                                               + " (use RAW(value) for values with special characters)");
        }
    }

    @Override
    protected void afterConfiguration(String uri, String remaining, Endpoint endpoint, Map<String, Object> parameters)
            throws Exception {
        RtspEndpoint rtsp = (RtspEndpoint) endpoint;
        rtsp.getConfiguration().validate();
        // what Camel could not bind to an option is the camera's query
        rtsp.initCameraUrl(parameters.keySet());
        parameters.clear();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ComponentThreads.validate(ioThreads, deliveryThreads);
        if (eventLoopGroup == null) {
            int threads = ioThreads > 0 ? ioThreads : defaultIoThreads(Runtime.getRuntime().availableProcessors());
            ownedGroup = ComponentThreads.newIoGroup(threads, "camel-rtsp-io-", IO_THREAD_COUNTER);
            LOG.debug("Created {} RTSP I/O threads", threads);
        }
        deliveryExecutor = ComponentThreads.newDeliveryPool(getCamelContext(), this, "RtspDelivery", deliveryThreads);
    }

    @Override
    protected void doStop() throws Exception {
        ExecutorService executor = deliveryExecutor;
        deliveryExecutor = null;
        ComponentThreads.shutdownDeliveryPool(getCamelContext(), executor);
        EventLoopGroup group = ownedGroup;
        ownedGroup = null;
        ComponentThreads.shutdownIoGroup(group, "RTSP I/O threads", LOG);
        super.doStop();
    }

    /** The event loop group endpoints use: the configured one, or the one this component created on start. */
    EventLoopGroup ioGroup() {
        EventLoopGroup group = eventLoopGroup != null ? eventLoopGroup : ownedGroup;
        if (group == null) {
            throw new IllegalStateException("The rtsp component is not started");
        }
        return group;
    }

    /** The pool that runs the routes of all consumers of this component. */
    ExecutorService deliveryExecutor() {
        ExecutorService executor = deliveryExecutor;
        if (executor == null) {
            throw new IllegalStateException("The rtsp component is not started");
        }
        return executor;
    }

    /** Creates the RTSP client of each consumer. */
    RtspStream.Factory streamFactory() {
        return streamFactory;
    }

    /** Replaces the RTSP client of new consumers (tests drive consumers without a network). */
    void setStreamFactory(RtspStream.Factory streamFactory) {
        this.streamFactory = ObjectHelper.notNull(streamFactory, "streamFactory");
    }

    /** The default options of the endpoints. */
    public RtspConfiguration getConfiguration() {
        return configuration;
    }

    /** Default options of all endpoints of this component; each endpoint works on its own copy. */
    public void setConfiguration(RtspConfiguration configuration) {
        this.configuration = ObjectHelper.notNull(configuration, "configuration");
    }

    /** Configured number of I/O threads (0: one per processor). */
    public int getIoThreads() {
        return ioThreads;
    }

    /**
     * Number of Netty I/O threads shared by all endpoints of this component (daemon threads named camel-rtsp-io-N).
     * 0 (the default) uses half the available processors, at least one: fewer loops find more sockets ready per
     * wake-up, which made ingest 9 to 19 percent cheaper at 100 streams on 2 cores (docs/benchmarks.md). Ignored when
     * eventLoopGroup is set.
     */
    public void setIoThreads(int ioThreads) {
        this.ioThreads = ioThreads;
    }

    /** The number of I/O threads that ioThreads=0 stands for: half of {@code processors}, at least one. */
    static int defaultIoThreads(int processors) {
        return Math.max(1, processors / 2);
    }

    /** The event loop group supplied by the user, or null. */
    public EventLoopGroup getEventLoopGroup() {
        return eventLoopGroup;
    }

    /**
     * A Netty event loop group to use instead of creating one. The component does not shut down a group it was
     * given: its owner does.
     */
    public void setEventLoopGroup(EventLoopGroup eventLoopGroup) {
        this.eventLoopGroup = eventLoopGroup;
    }

    /** Number of threads that run the routes of the consumers. */
    public int getDeliveryThreads() {
        return deliveryThreads;
    }

    /**
     * Threads that run the routes of all consumers of this component. Each consumer routes its packets in order on
     * one thread at a time, so consumers share these threads instead of each needing its own.
     */
    public void setDeliveryThreads(int deliveryThreads) {
        this.deliveryThreads = deliveryThreads;
    }

    @Override
    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    /** Enable usage of global SSL context parameters (for rtsps endpoints that set no sslContextParameters). */
    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }
}
