package io.github.camelrtsp;

import java.util.Map;

import io.github.camelrtsp.client.ClientState;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness check of an {@code rtsp} consumer: UP while its stream is playing, DOWN otherwise with the client's reason
 * as message and its state in the details ({@code rtsp.state}).
 * <p>
 * Implements {@link HealthCheck} directly (camel-api only) rather than extending camel-health's AbstractHealthCheck,
 * so the component does not depend on camel-health; the "consumers" repository of camel-health picks it up through
 * the consumer's {@code getHealthCheck()}.
 */
public final class RtspConsumerHealthCheck implements HealthCheck, CamelContextAware {

    /** Detail: the client state (IDLE, CONNECTING, PLAYING, RECONNECTING, STOPPED, FAILED). */
    public static final String DETAIL_STATE = "rtsp.state";
    /** Detail: the sanitized camera URL. */
    public static final String DETAIL_URL = "rtsp.url";
    /** Detail: reconnects since the consumer started. */
    public static final String DETAIL_RECONNECTS = "rtsp.reconnects";
    /** Detail: the route id, when known. */
    public static final String DETAIL_ROUTE_ID = "route.id";

    private final RtspConsumer consumer;
    private final String routeId;
    private final String id;
    private volatile boolean enabled = true;
    private CamelContext camelContext;

    /** A check of {@code consumer}, identified as {@code rtsp-consumer-<routeId>}. */
    public RtspConsumerHealthCheck(RtspConsumer consumer, String routeId) {
        this.consumer = consumer;
        this.routeId = routeId;
        this.id = "rtsp-consumer-" + (routeId != null ? routeId : consumer.getEndpoint().sanitizedUri());
    }

    @Override
    public String getGroup() {
        return "camel";
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Readiness only: a camera that is down does not make the application dead. */
    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public Result call(Map<String, Object> options) {
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(this);
        builder.detail(CHECK_ID, id);
        builder.detail(CHECK_GROUP, getGroup());
        builder.detail(CHECK_KIND, Kind.READINESS);
        if (!enabled) {
            return builder.message("Disabled").detail(CHECK_ENABLED, false).unknown().build();
        }
        HealthCheckRegistry registry = camelContext != null ? HealthCheckRegistry.get(camelContext) : null;
        if (registry != null && registry.getInitialState() != null) {
            builder.state(registry.getInitialState());
        }
        ClientState state = consumer.state();
        builder.detail(DETAIL_STATE, state.name());
        builder.detail(DETAIL_URL, consumer.getEndpoint().sanitizedUri());
        builder.detail(DETAIL_RECONNECTS, consumer.getReconnects());
        builder.detail(ENDPOINT_URI, consumer.getEndpoint().getEndpointUri());
        if (routeId != null) {
            builder.detail(DETAIL_ROUTE_ID, routeId);
        }
        if (state == ClientState.PLAYING) {
            builder.up();
        } else {
            String reason = consumer.stateReason();
            builder.down().message(reason == null || reason.isBlank() ? "RTSP client is " + state : reason);
        }
        return builder.build();
    }

    @Override
    public String toString() {
        return id;
    }
}
