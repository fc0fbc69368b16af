package io.github.camelrtsp;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.camelrtsp.server.RtspServer;
import io.netty.channel.EventLoopGroup;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rtsp-server} component: an embedded RTSP server in the route. Its consumers take what RTSP clients
 * publish into a path (ANNOUNCE/RECORD); its producers serve the frames of a route on a path that RTSP clients play.
 * <p>
 * Endpoints with the same host and port share one {@link RtspServer}: it starts with the first consumer or producer
 * that needs it and stops with the last. The servers run on Netty I/O threads owned by this component; the routes of
 * the consumers run on a small shared pool of delivery threads.
 */
@Component("rtsp-server")
public class RtspServerComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(RtspServerComponent.class);
    private static final AtomicInteger IO_THREAD_COUNTER = new AtomicInteger();

    @Metadata(label = "advanced")
    private RtspServerConfiguration configuration = new RtspServerConfiguration();
    @Metadata(label = "advanced", defaultValue = "0")
    private int ioThreads;
    @Metadata(label = "consumer,advanced", defaultValue = "10")
    private int deliveryThreads = 10;

    private final Map<String, SharedServer> servers = new HashMap<>();
    private EventLoopGroup group;
    private volatile ExecutorService deliveryExecutor;

    /** A server and the endpoints' consumers and producers that use it. */
    private static final class SharedServer {
        final RtspServer server;
        final String serverKey;
        int users;

        SharedServer(RtspServer server, String serverKey) {
            this.server = server;
            this.serverKey = serverKey;
        }
    }

    /** Creates the component; Camel calls it when the {@code rtsp-server} scheme is first used. */
    public RtspServerComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("rtsp-server endpoint needs a path, for example rtsp-server:live");
        }
        RtspServerEndpoint endpoint = new RtspServerEndpoint(uri, this, configuration.copy(), remaining);
        setProperties(endpoint, parameters);
        endpoint.getConfiguration().validate();
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ComponentThreads.validate(ioThreads, deliveryThreads);
        deliveryExecutor = ComponentThreads.newDeliveryPool(getCamelContext(), this, "RtspServerDelivery",
                deliveryThreads);
    }

    @Override
    protected void doStop() throws Exception {
        ExecutorService executor = deliveryExecutor;
        deliveryExecutor = null;
        ComponentThreads.shutdownDeliveryPool(getCamelContext(), executor);
        EventLoopGroup g;
        synchronized (servers) {
            for (SharedServer s : servers.values()) {
                LOG.warn("Stopping the RTSP server on port {} that {} endpoint(s) still use", s.server.port(),
                        s.users);
                s.server.stop();
            }
            servers.clear();
            g = group;
            group = null;
        }
        ComponentThreads.shutdownIoGroup(g, "RTSP server I/O threads", LOG);
        super.doStop();
    }

    /**
     * The running server for the host and port of {@code config}, started if no endpoint uses it yet. Each call must
     * be matched by one {@link #release(RtspServer)}.
     *
     * @throws IllegalArgumentException if the server runs already with other server options
     * @throws IllegalStateException    if it cannot bind its ports
     */
    RtspServer acquire(RtspServerConfiguration config) {
        String address = config.getHost() + ":" + config.getPort();
        String serverKey = config.serverKey();
        synchronized (servers) {
            SharedServer shared = servers.get(address);
            if (shared == null) {
                if (group == null) {
                    group = ComponentThreads.newIoGroup(ComponentThreads.ioThreadCount(ioThreads),
                            "camel-rtsp-server-io-", IO_THREAD_COUNTER);
                }
                RtspServer server = new RtspServer(config.serverOptions(), group).start();
                shared = new SharedServer(server, serverKey);
                servers.put(address, shared);
            } else if (!shared.serverKey.equals(serverKey)) {
                throw new IllegalArgumentException("The RTSP server on " + address + " runs with " + shared.serverKey
                                                   + "; an endpoint on the same host and port asks for " + serverKey
                                                   + ": give it the same server options or another port");
            }
            shared.users++;
            return shared.server;
        }
    }

    /** Gives back a server taken with {@link #acquire(RtspServerConfiguration)}; the last user stops it. */
    void release(RtspServer server) {
        synchronized (servers) {
            for (Map.Entry<String, SharedServer> e : servers.entrySet()) {
                SharedServer shared = e.getValue();
                if (shared.server == server) {
                    if (--shared.users == 0) {
                        servers.remove(e.getKey());
                        server.stop();
                    }
                    return;
                }
            }
        }
    }

    /** The I/O threads of the servers; exists while a server runs. */
    EventLoopGroup ioGroup() {
        synchronized (servers) {
            if (group == null) {
                throw new IllegalStateException("no rtsp-server is running");
            }
            return group;
        }
    }

    /** Servers running now (for tests). */
    int runningServers() {
        synchronized (servers) {
            return servers.size();
        }
    }

    /** The pool that runs the routes of all consumers of this component. */
    ExecutorService deliveryExecutor() {
        ExecutorService executor = deliveryExecutor;
        if (executor == null) {
            throw new IllegalStateException("The rtsp-server component is not started");
        }
        return executor;
    }

    /** The default options of the endpoints. */
    public RtspServerConfiguration getConfiguration() {
        return configuration;
    }

    /** Default options of all endpoints of this component; each endpoint works on its own copy. */
    public void setConfiguration(RtspServerConfiguration configuration) {
        this.configuration = ObjectHelper.notNull(configuration, "configuration");
    }

    /** Configured number of I/O threads (0: one per processor). */
    public int getIoThreads() {
        return ioThreads;
    }

    /**
     * Number of Netty I/O threads shared by all embedded servers of this component (daemon threads named
     * camel-rtsp-server-io-N). 0 (the default) uses the number of available processors.
     */
    public void setIoThreads(int ioThreads) {
        this.ioThreads = ioThreads;
    }

    /** Number of threads that run the routes of the consumers. */
    public int getDeliveryThreads() {
        return deliveryThreads;
    }

    /**
     * Threads that run the routes of all consumers of this component. Each consumer routes its frames in order on
     * one thread at a time, so consumers share these threads.
     */
    public void setDeliveryThreads(int deliveryThreads) {
        this.deliveryThreads = deliveryThreads;
    }
}
